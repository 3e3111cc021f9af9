using System.CommandLine;
using System.Text;
using Sinew.X12;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew x12 ack FILE --kind ta1|997|999</c>: prints the acknowledgement Sinew would send for a received file.</summary>
internal static class X12Command
{
    public static Command Build()
    {
        var x12 = new Command("x12", "X12 EDI tools");
        x12.Subcommands.Add(Ack());
        return x12;
    }

    private static Command Ack()
    {
        var file = new Argument<string>("file") { Description = "A received X12 file" };
        var kind = new Option<string>("--kind") { Description = "ta1, 997 or 999", DefaultValueFactory = _ => "999" };
        var control = new Option<int>("--control-number") { Description = "ISA13 of the acknowledgement", DefaultValueFactory = _ => 1 };
        var schemas = new Option<string?>("--schemas") { Description = $"Directory of extra schema files (*.yaml); default ${X12FileFormat.SchemasVariable}" };
        var command = new Command("ack", "Print the TA1, 997 or 999 Sinew would send back for a file");
        command.Arguments.Add(file);
        command.Options.Add(kind);
        command.Options.Add(control);
        command.Options.Add(schemas);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(kind)!, parse.GetValue(control), parse.GetValue(schemas), Console.Out, Console.Error));
        return command;
    }

    internal static int Run(string path, string kind, int controlNumber, string? schemas, TextWriter output, TextWriter error)
    {
        kind = kind.ToLowerInvariant();
        if (kind is not ("ta1" or "997" or "999"))
        {
            error.WriteLine($"--kind must be ta1, 997 or 999, not '{kind}'");
            return 2;
        }
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: no such file");
            return 2;
        }
        if (controlNumber is < 1 or > 999_999_999)
        {
            error.WriteLine("--control-number must be 1 to 999999999");
            return 2;
        }
        X12ValidationResult result;
        try
        {
            var options = X12FileFormat.Options(schemas);
            using var stream = File.OpenRead(path);
            result = new X12Validator(options).Validate(stream);
        }
        catch (Exception ex) when (ex is X12SchemaException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
        if (result.Interchanges.Count == 0)
        {
            error.WriteLine($"{path}: no interchange to acknowledge");
            return 1;
        }
        var settings = new X12AckSettings { InterchangeControlNumber = controlNumber, SegmentSuffix = "\n" };
        foreach (var interchange in result.Interchanges)
        {
            var bytes = kind switch
            {
                "ta1" => X12AckWriter.BuildTa1(interchange, settings),
                "997" => X12AckWriter.Build997(interchange, settings),
                _ => X12AckWriter.Build999(interchange, settings),
            };
            output.Write(Encoding.Latin1.GetString(bytes));
            settings = settings with { InterchangeControlNumber = settings.InterchangeControlNumber % 999_999_999 + 1 };
        }
        return 0;
    }
}
