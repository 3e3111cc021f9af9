using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Audit.Config;
using Sinew.Audit.Keys;
using Sinew.Audit.Log;
using Sinew.Audit.Policy;
using Sinew.Audit.Syslog;
using Sinew.Core.Audit;
using Sinew.Engine.Config;
using Sinew.Journal.Sqlite;

namespace Sinew.Audit;

/// <summary>
/// The data protection and audit part of the host: the <c>audit</c>, <c>encryption</c> and <c>tokenization</c> sections of
/// <c>sinew.yaml</c>, the PHI policy steps (<c>deidentify</c>, <c>restrictions</c>), the hash-chained audit log, and
/// its FHIR and token endpoints, and the optional syslog stream of the log to a SIEM.
/// </summary>
public static class AuditModule
{
    public static ConnectorRegistry Register(ConnectorRegistry registry)
    {
        var protection = new DataProtection();
        return registry
            .AddSection(AuditSettings.SectionName, (section, directory) => AuditSettings.Read(section, directory) is AuditSettings settings ? settings with { Protection = protection } : null)
            .AddSection(EncryptionSettings.SectionName, (section, directory) =>
            {
                var settings = EncryptionSettings.Read(section, directory) as EncryptionSettings;
                protection.Encryption = settings;
                return settings;
            })
            .AddSection(TokenizationSettings.SectionName, (section, directory) =>
            {
                var settings = TokenizationSettings.Read(section, directory) as TokenizationSettings;
                protection.Tokenization = settings;
                return settings;
            })
            .AddStep(ConfigLoader.ProtectionStepType, (settings, context) => ProtectionStep.Create(settings, context, protection))
            .AddStep("restrictions", (settings, context) => RestrictionsStep.Create(settings, context, protection));
    }

    /// <summary>The journal's key ring from the <c>encryption</c> section, or null to store in clear.</summary>
    public static JournalKeyRing? JournalKeys(SinewConfig config) => config.Section<EncryptionSettings>(EncryptionSettings.SectionName)?.Keys;

    public static IServiceCollection AddAudit(this IServiceCollection services, SinewConfig config, string dataDirectory)
    {
        var settings = config.Section<AuditSettings>(AuditSettings.SectionName) ?? AuditSettings.Default;
        var log = SqliteAuditLog.Open(dataDirectory, settings.Key);
        var protection = settings.Protection ?? new DataProtection();
        protection.Attach(log, dataDirectory);
        services.AddSingleton(log);
        services.AddSingleton<IAuditLog>(log);
        services.AddSingleton(protection);
        if (settings.Syslog is { } syslog)
        {
            services.AddSingleton(sp => new SyslogStream(syslog, log, sp.GetRequiredService<ILogger<SyslogStream>>(), sp.GetService<IMeterFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<SyslogStream>());
        }
        // First of the hosted services, so the configuration is recorded before the engine acts under it.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ConfigChangeAudit>());
        return services;
    }

    public static WebApplication UseAudit(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<SinewConfig>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sinew.Audit");
        if (JournalKeys(config) is null)
        {
            logger.LogWarning("Message bodies are stored unencrypted: add an encryption: section to sinew.yaml (see docs/data-protection.md)");
        }
        app.MapAuditEndpoints();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            app.Services.GetRequiredService<DataProtection>().Dispose();
            app.Services.GetRequiredService<SqliteAuditLog>().Dispose();
        });
        return app;
    }
}
