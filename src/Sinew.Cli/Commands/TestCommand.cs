using System.CommandLine;
using Sinew.Host;
using Sinew.Mapping;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew test</c>: runs every mapping's example messages and compares the canonical output with the expected JSON.</summary>
internal static class TestCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        var data = new Option<string>("--data", "-d") { Description = "Data folder that relative paths resolve against", DefaultValueFactory = _ => "data" };
        var command = new Command("test", "Run each channel's mapping examples (NAME.examples/ beside the mapping) and show field-level differences; exit 1 on any failure") { config, data };
        command.SetAction(parse =>
        {
            Engine.Config.SinewConfig loaded;
            try
            {
                // Examples run offline: secrets of destinations the test never calls need not be set here.
                using var offline = Engine.Config.SecretReference.UnresolvedAllowed();
                loaded = SinewApp.LoadConfig(new SinewRunOptions
                {
                    ConfigDirectory = parse.GetValue(config)!,
                    DataDirectory = parse.GetValue(data)!,
                    Connectors = ConnectorModules.Register,
                });
            }
            catch (ConfigurationException ex)
            {
                foreach (var error in ex.Errors)
                {
                    Console.Error.WriteLine(error);
                }
                Console.Error.WriteLine($"{ex.Errors.Count} configuration error(s)");
                return 2;
            }
            int passed = 0, failed = 0, mappings = 0;
            foreach (var channel in loaded.Channels)
            {
                foreach (var step in channel.Steps)
                {
                    if (step.Step is not MapStep map)
                    {
                        continue;
                    }
                    mappings++;
                    var name = Path.GetFileName(map.Mapper.Definition.File);
                    var inputs = MappingExamples.Inputs(map.Mapper.Definition);
                    if (inputs.Count == 0)
                    {
                        Console.WriteLine($"WARN {channel.Name}/{name}: no examples in {map.Mapper.Definition.ExamplesFolder}");
                        continue;
                    }
                    foreach (var input in inputs)
                    {
                        var differences = MappingExamples.Run(map.Mapper, input);
                        var label = $"{channel.Name}/{name}/{Path.GetFileName(input)}";
                        if (differences.Count == 0)
                        {
                            passed++;
                            Console.WriteLine($"PASS {label}");
                            continue;
                        }
                        failed++;
                        Console.WriteLine($"FAIL {label}");
                        foreach (var difference in differences)
                        {
                            Console.WriteLine($"     {difference}");
                        }
                    }
                }
            }
            Console.WriteLine($"{mappings} mapping(s): {passed} passed, {failed} failed");
            return failed > 0 ? 1 : 0;
        });
        return command;
    }
}
