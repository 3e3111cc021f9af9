using System.CommandLine;
using Sinew.Host;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew validate</c>: checks a configuration folder the way <c>run</c> would, without starting anything.</summary>
internal static class ValidateCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        var data = new Option<string>("--data", "-d") { Description = "Data folder that relative paths resolve against", DefaultValueFactory = _ => "data" };
        var command = new Command("validate", "Check a configuration folder: every error with its file, line and setting; exit 1 on any") { config, data };
        command.SetAction(parse =>
        {
            try
            {
                var loaded = SinewApp.LoadConfig(new SinewRunOptions
                {
                    ConfigDirectory = parse.GetValue(config)!,
                    DataDirectory = parse.GetValue(data)!,
                    Connectors = ConnectorModules.Register,
                });
                Console.WriteLine($"OK: {loaded.Channels.Count} channel(s) in {loaded.Directory}");
                foreach (var channel in loaded.Channels)
                {
                    Console.WriteLine($"  {channel.Name}: {channel.Source.Describe()}, {channel.Steps.Count} step(s), {channel.Destinations.Count} destination(s)");
                }
                return 0;
            }
            catch (ConfigurationException ex)
            {
                foreach (var error in ex.Errors)
                {
                    Console.Error.WriteLine(error);
                }
                Console.Error.WriteLine($"{ex.Errors.Count} error(s)");
                return 1;
            }
        });
        return command;
    }
}
