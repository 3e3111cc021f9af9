using System.CommandLine;
using System.Text.Json;
using Sinew.Canonical;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew schemas</c>: lists the canonical types, or writes their JSON Schemas (as published under docs/schemas/).</summary>
internal static class SchemaCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Build()
    {
        var output = new Option<string?>("--out", "-o") { Description = "Write one NAME.vVERSION.schema.json per type into this folder" };
        var command = new Command("schemas", "List the canonical record types, or write their JSON Schemas with each field's sensitivity class") { output };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output);
            foreach (var type in CanonicalCatalog.All)
            {
                if (folder is null)
                {
                    Console.WriteLine($"{type.Id}  {type.Fields.Count} fields, {type.Fields.Count(f => f.Value >= Sensitivity.Phi)} PHI or restricted");
                    continue;
                }
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, FileName(type));
                File.WriteAllText(path, type.JsonSchema().ToJsonString(Indented) + "\n");
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return command;
    }

    public static string FileName(CanonicalType type) => $"{type.Name}.v{type.Version}.schema.json";
}
