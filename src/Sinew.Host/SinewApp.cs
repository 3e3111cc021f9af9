using Sinew.Audit;
using Sinew.Fhir;
using Sinew.Security;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Engine.Sla;
using Sinew.Engine.Telemetry;
using Sinew.Host.Admin;
using Sinew.Host.Dashboard;
using Sinew.Host.Intake;
using Sinew.Journal.Sqlite;

namespace Sinew.Host;

/// <summary>Builds the one Sinew process: the engine, the HTTP sources, the admin API, health and OpenAPI.</summary>
public static class SinewApp
{
    /// <summary>The file name of the embedded journal inside the data folder.</summary>
    public const string JournalFileName = "journal.db";

    public static ConnectorRegistry CreateRegistry(Action<ConnectorRegistry>? extra)
    {
        var registry = AuditModule.Register(SecurityModule.Register(FhirConnectors.Register(BuiltInConnectors.Register(new ConnectorRegistry()))));
        extra?.Invoke(registry);
        return registry;
    }

    /// <summary>Loads and checks the configuration; throws <see cref="ConfigurationException"/> listing every error.</summary>
    public static SinewConfig LoadConfig(SinewRunOptions options, ILoggerFactory? loggerFactory = null)
    {
        var (config, diagnostics) = ConfigLoader.Load(options.ConfigDirectory, Path.GetFullPath(options.DataDirectory), CreateRegistry(options.Connectors), loggerFactory);
        if (config is null)
        {
            throw new ConfigurationException(diagnostics.Errors);
        }
        config = options.HttpListen is { } listen ? config with { HttpListen = listen } : config;
        // Never reachable from a network without authentication: 'sinew validate' says so too, not only 'sinew run'.
        if (ExposureCheck.Problems(config) is { Count: > 0 } exposure)
        {
            throw new ConfigurationException(exposure.Select(m => new ConfigError(Path.Combine(config.Directory, "sinew.yaml"), 0, 0, "security", m.StartsWith("security: ", StringComparison.Ordinal) ? m["security: ".Length..] : m)).ToList());
        }
        return config;
    }

    public static WebApplication Build(SinewRunOptions options)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = dataDirectory });
        var connectorLoggers = new LateLoggerFactory();
        var config = LoadConfig(options, connectorLoggers);
        builder.Logging.ClearProviders();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (config.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        Telemetry.AddSinewTelemetry(builder.Services, config);
        var listen = ToUrl(config.HttpListen);
        if (listen.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // The security module binds the https endpoint itself, with its certificate (HttpsListener). An address from
            // UseUrls, ASPNETCORE_URLS or ASPNETCORE_HTTP(S)_PORTS beside it would be ignored with Kestrel's "Overriding
            // address(es)" warning, so none is given: the endpoint in security.https is the only one.
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
            builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, string.Empty);
        }
        else
        {
            builder.WebHost.UseUrls(listen);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var largest = config.Channels.Select(c => (c.Source as Engine.Sources.HttpSource)?.MaxBodyBytes ?? 0).Append(config.MaxBodyBytes).Max();
            kestrel.Limits.MaxRequestBodySize = largest + 1;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(10));
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.StopGrace + TimeSpan.FromSeconds(10));

        var journal = SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(dataDirectory, JournalFileName)) { Encryption = AuditModule.JournalKeys(config), Intake = true });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<IJournal>(journal);
        builder.Services.AddSingleton(sp => new EngineMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton(sp => new SinewEngine(config, journal, sp.GetRequiredService<ILoggerFactory>(), metrics: sp.GetRequiredService<EngineMetrics>()));
        builder.Services.AddSingleton(sp => new AdminService(journal, config, sp.GetRequiredService<SinewEngine>()));
        builder.Services.AddHostedService<EngineService>();
        builder.Services.AddSingleton(sp => new SlaMonitor(config, journal, sp.GetRequiredService<ILogger<SlaMonitor>>(), meters: sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddHostedService<SlaService>();
        builder.Services.AddProblemDetails();
        builder.Services.AddDashboard();
        builder.Services.AddAudit(config, dataDirectory);
        builder.Services.AddSecurity(config, dataDirectory);
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        var app = builder.Build();
        connectorLoggers.Attach(app.Services.GetRequiredService<ILoggerFactory>());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurity();
        app.UseAudit();
        app.MapOpenApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealth();
        app.MapAdminApi();
        app.MapHttpIntake();
        app.MapFhir();
        app.MapDashboard();
        app.Lifetime.ApplicationStopped.Register(() => journal.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    /// <summary>The addresses the HTTP listener is bound to, once started.</summary>
    public static IReadOnlyCollection<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static string ToUrl(string listen) =>
        listen.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || listen.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? listen : "http://" + listen;
}
