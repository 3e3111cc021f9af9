using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Sinew.Host;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew run</c>: starts the engine, the HTTP listener and every channel; stops gracefully on SIGTERM or Ctrl+C.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        var data = new Option<string>("--data", "-d") { Description = "Data folder (journal and relative paths)", DefaultValueFactory = _ => "data" };
        var http = new Option<string?>("--http") { Description = "HTTP listen address, e.g. 127.0.0.1:8080 (overrides http.listen)" };
        var command = new Command("run", "Run Sinew: the engine, its channels, the admin API and health endpoints") { config, data, http };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var started = Stopwatch.GetTimestamp();
            var options = new SinewRunOptions
            {
                ConfigDirectory = parse.GetValue(config)!,
                DataDirectory = parse.GetValue(data)!,
                HttpListen = parse.GetValue(http),
                Connectors = ConnectorModules.Register,
            };
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = SinewApp.Build(options);
            }
            catch (ConfigurationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            catch (Security.SecurityConfigurationException ex)
            {
                // The loopback rule: never reachable from a network without authentication.
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            catch (Core.Journal.JournalUnavailableException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 3;
            }
            await app.StartAsync(cancellationToken);
            var engine = (Engine.Runtime.SinewEngine)app.Services.GetService(typeof(Engine.Runtime.SinewEngine))!;
            var addresses = string.Join(", ", SinewApp.Addresses(app));
            Console.WriteLine($"Sinew listening on {addresses} (admin API /api/v1, health /health/ready, OpenAPI /openapi/v1.json)");
            Console.WriteLine($"  config {Path.GetFullPath(options.ConfigDirectory)}, data {Path.GetFullPath(options.DataDirectory)}");
            foreach (var channel in engine.Channels)
            {
                Console.WriteLine($"  channel {channel.Name}: {channel.Config.Source.Describe()} -> {string.Join(", ", channel.Config.Destinations.Select(d => $"{d.Name} ({d.Type})"))}{(channel.IsPaused ? " [paused]" : "")}");
            }
            Console.WriteLine($"Sinew ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s");
            await app.WaitForShutdownAsync(CancellationToken.None);
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }
}
