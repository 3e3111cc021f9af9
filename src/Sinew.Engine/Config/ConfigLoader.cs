using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Sources;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sinew.Engine.Config;

/// <summary>
/// Reads a configuration folder: <c>sinew.yaml</c> (shared settings) and one YAML file per channel under
/// <c>channels/</c>. Every problem is collected with its file, line and setting; nothing half-valid is returned.
/// </summary>
public static partial class ConfigLoader
{
    public const string SharedFileName = "sinew.yaml";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <summary>True for names safe in URLs, file names and metrics: letters, digits, '-' and '_', at most 64.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static (SinewConfig? Config, ConfigDiagnostics Diagnostics) Load(string directory, string dataDirectory, ConnectorRegistry registry, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var diagnostics = new ConfigDiagnostics();
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            diagnostics.Add(directory, 0, 0, "config", "the configuration folder does not exist");
            return (null, diagnostics);
        }

        var sections = new Dictionary<string, object?>(StringComparer.Ordinal);
        var sharedPath = Path.Combine(directory, SharedFileName);
        var shared = File.Exists(sharedPath) ? ReadFile(sharedPath, diagnostics) : null;
        var httpListen = "127.0.0.1:8080";
        var maxBody = 10L * 1024 * 1024;
        var retentionInterval = TimeSpan.FromMinutes(10);
        var defaultRetention = new RetentionPolicy(TimeSpan.FromDays(30), 1_000_000);
        var channelsFolder = Path.Combine(directory, "channels");
        var extensions = ExtensionCatalog.Empty;
        Uri? otlpEndpoint = null;
        var otlpProtocol = "grpc";
        var logFormat = "text";
        Uri? alertWebhook = null;
        TimeSpan? alertRepeat = null;
        var slaInterval = TimeSpan.FromSeconds(10);
        if (shared is not null)
        {
            if (shared.GetSection("alerts") is { } alerts)
            {
                if (alerts.GetString("webhook") is { } hook)
                {
                    if (Uri.TryCreate(hook, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        alertWebhook = uri;
                    }
                    else
                    {
                        alerts.Error("webhook", $"'{hook}' must be an http(s) URL");
                    }
                }
                alertRepeat = alerts.GetOptionalDuration("repeat");
                slaInterval = alerts.GetDuration("interval", slaInterval);
                alerts.ReportUnknown();
            }
            if (shared.GetSection("telemetry") is { } telemetry)
            {
                if (telemetry.GetString("otlpEndpoint") is { } endpoint)
                {
                    if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        otlpEndpoint = uri;
                    }
                    else
                    {
                        telemetry.Error("otlpEndpoint", $"'{endpoint}' must be an http(s) URL such as http://127.0.0.1:4317");
                    }
                }
                otlpProtocol = telemetry.GetChoice("otlpProtocol", "grpc", "grpc", "http");
                telemetry.ReportUnknown();
            }
            if (shared.GetSection("logging") is { } logging)
            {
                logFormat = logging.GetChoice("format", "text", "text", "json");
                logging.ReportUnknown();
            }
            if (shared.GetSection("http") is { } http)
            {
                httpListen = http.GetString("listen", httpListen);
                maxBody = http.GetSize("maxBodyBytes", maxBody);
                http.ReportUnknown();
            }
            if (shared.GetSection("retention") is { } retention)
            {
                retentionInterval = retention.GetDuration("interval", retentionInterval);
                defaultRetention = ReadRetention(retention, defaultRetention);
                retention.ReportUnknown();
            }
            channelsFolder = Path.GetFullPath(shared.GetString("channels", "channels"), directory);
            if (shared.GetString("extensions") is { } extensionsFolder)
            {
                var problems = new List<string>();
                var folder = Path.GetFullPath(extensionsFolder, directory);
                if (!Directory.Exists(folder))
                {
                    shared.Error("extensions", $"folder '{folder}' does not exist");
                }
                extensions = ExtensionCatalog.Load(folder, problems);
                foreach (var problem in problems)
                {
                    shared.Error("extensions", problem);
                }
            }
            foreach (var (key, reader) in registry.Sections)
            {
                sections[key] = reader(shared.GetSection(key), directory);
            }
            shared.ReportUnknown();
        }
        else
        {
            foreach (var (key, reader) in registry.Sections)
            {
                sections[key] = reader(null, directory);
            }
        }

        var channels = new List<ChannelConfig>();
        if (!Directory.Exists(channelsFolder))
        {
            diagnostics.Add(channelsFolder, 0, 0, "channels", "the channels folder does not exist");
        }
        else
        {
            var files = Directory.EnumerateFiles(channelsFolder, "*.yaml").Concat(Directory.EnumerateFiles(channelsFolder, "*.yml")).Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var section = ReadFile(file, diagnostics);
                if (section is null)
                {
                    continue;
                }
                var channel = ReadChannel(section, dataDirectory, registry, extensions, defaultRetention, loggerFactory);
                if (channel is null)
                {
                    continue;
                }
                if (channels.Any(c => string.Equals(c.Name, channel.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    section.Error("name", $"channel '{channel.Name}' is defined twice");
                    continue;
                }
                channels.Add(channel);
            }
        }

        if (diagnostics.HasErrors)
        {
            return (null, diagnostics);
        }
        return (new SinewConfig
        {
            Directory = directory,
            HttpListen = httpListen,
            MaxBodyBytes = maxBody,
            RetentionInterval = retentionInterval,
            Channels = channels,
            OtlpEndpoint = otlpEndpoint,
            AlertWebhook = alertWebhook,
            AlertRepeat = alertRepeat,
            SlaInterval = slaInterval,
            OtlpProtocol = otlpProtocol,
            LogFormat = logFormat,
            Sections = sections,
        }, diagnostics);
    }

    /// <summary>Reads one YAML file whose root is a mapping (a channel, a mapping file); errors go to <paramref name="diagnostics"/>.</summary>
    public static ConfigSection? ReadFile(string path, ConfigDiagnostics diagnostics)
    {
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                diagnostics.Add(path, 1, 1, "", "the file must hold a mapping of settings");
                return null;
            }
            return new ConfigSection(path, "", root, diagnostics, Path.GetDirectoryName(path)!);
        }
        catch (YamlException ex)
        {
            diagnostics.Add(path, (int)ex.Start.Line, (int)ex.Start.Column, "", "YAML syntax: " + (ex.InnerException?.Message ?? ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(path, 0, 0, "", "cannot be read: " + ex.Message);
            return null;
        }
    }

    private static RetentionPolicy ReadRetention(ConfigSection section, RetentionPolicy defaults)
    {
        var maxAge = section.Has("maxAge") ? section.GetOptionalDuration("maxAge") : defaults.MaxAge;
        var maxCount = section.Has("maxCount") ? section.GetInt("maxCount", 0, 1, long.MaxValue) : defaults.MaxCount;
        return new RetentionPolicy(maxAge, maxCount);
    }

    private static ChannelConfig? ReadChannel(ConfigSection section, string dataDirectory, ConnectorRegistry registry, ExtensionCatalog extensions, RetentionPolicy defaultRetention, ILoggerFactory loggerFactory)
    {
        var name = section.GetString("name", required: true);
        if (name is not null && !IsValidName(name))
        {
            section.Error("name", $"'{name}' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
            name = null;
        }
        var context = new ConnectorContext(name ?? "?", dataDirectory, extensions, loggerFactory);
        var description = section.GetString("description", "");

        ISource? source = null;
        if (section.GetSection("source", required: true) is { } sourceSection)
        {
            var type = sourceSection.GetString("type", required: true);
            if (type is not null)
            {
                if (registry.TryGetSource(type, out var factory))
                {
                    source = factory(sourceSection, context);
                }
                else
                {
                    sourceSection.Error("type", $"unknown source type '{type}' (known: {string.Join(", ", registry.SourceTypes)})");
                }
            }
            sourceSection.ReportUnknown();
        }

        var steps = new List<NamedStep>();
        var mapped = false;
        var channelProfile = false;
        foreach (var stepSection in section.GetSections("steps"))
        {
            var type = stepSection.GetString("type", required: true);
            var stepName = stepSection.GetString("name") ?? $"{steps.Count + 1}-{type}";
            if (type is null)
            {
                continue;
            }
            mapped |= string.Equals(type, "map", StringComparison.OrdinalIgnoreCase);
            channelProfile |= string.Equals(type, ProtectionStepType, StringComparison.OrdinalIgnoreCase) && HasProfileEntries(stepSection);
            if (!registry.TryGetStep(type, out var factory))
            {
                stepSection.Error("type", $"unknown step type '{type}' (known: {string.Join(", ", registry.StepTypes)})");
                continue;
            }
            if (factory(stepSection, context) is { } step)
            {
                steps.Add(new NamedStep(stepName, step));
            }
            stepSection.ReportUnknown();
        }

        var content = ReadContentClass(section, mapped, channelProfile);
        var destinations = new List<DestinationConfig>();
        foreach (var destinationSection in section.GetSections("destinations", required: true))
        {
            var destination = ReadDestination(destinationSection, registry, context, content);
            if (destination is null)
            {
                continue;
            }
            if (destinations.Any(d => string.Equals(d.Name, destination.Name, StringComparison.OrdinalIgnoreCase)))
            {
                destinationSection.Error("name", $"destination '{destination.Name}' is defined twice in this channel");
                continue;
            }
            destinations.Add(destination);
        }
        if (section.Has("destinations") && destinations.Count == 0 && !section.Diagnostics.HasErrors)
        {
            section.Error("destinations", "a channel needs at least one destination");
        }

        var order = section.GetChoice("order", "partition", "partition", "strict") == "strict" ? ChannelOrder.Strict : ChannelOrder.Partition;
        var partitionKey = PartitionKeyExpression.None;
        if (section.GetString("partitionKey") is { } keyText)
        {
            if (!PartitionKeyExpression.TryParse(keyText, out partitionKey, out var error))
            {
                section.Error("partitionKey", error!);
            }
        }
        var slas = new List<Sla.SlaDefinition>();
        foreach (var slaSection in section.GetSections("sla"))
        {
            if (Sla.SlaDefinition.Read(slaSection) is { } sla)
            {
                if (slas.Any(s => s.Name == sla.Name))
                {
                    slaSection.Error("name", $"SLA '{sla.Name}' is defined twice in this channel");
                }
                slas.Add(sla);
            }
        }
        var retention = defaultRetention;
        if (section.GetSection("retention") is { } retentionSection)
        {
            retention = ReadRetention(retentionSection, defaultRetention);
            retentionSection.ReportUnknown();
        }
        section.ReportUnknown();

        if (name is null || source is null)
        {
            return null;
        }
        return new ChannelConfig
        {
            Name = name,
            File = section.File,
            Description = description,
            Source = source,
            Steps = steps,
            Destinations = destinations,
            Order = order,
            PartitionKey = partitionKey,
            Retention = retention,
            Slas = slas,
            ContentSensitivity = content?.Class,
        };
    }

    /// <summary>The class a channel's raw messages count as: <c>contentSensitivity</c>, <c>phi</c> when not declared; null when a map step makes them canonical.</summary>
    private static RawContent? ReadContentClass(ConfigSection section, bool mapped, bool channelProfile)
    {
        var text = section.GetString("contentSensitivity");
        if (mapped)
        {
            if (text is not null)
            {
                section.Error("contentSensitivity", "classifies raw messages, but this channel has a 'map' step: its destinations receive canonical records, whose fields carry their own classes; remove contentSensitivity");
            }
            return null;
        }
        if (text is null)
        {
            return new RawContent(Canonical.Sensitivity.Phi, Declared: false, channelProfile);
        }
        if (!Canonical.SensitivityPolicy.TryParse(text, out var level))
        {
            section.Error("contentSensitivity", $"'{text}' is not a class: public, internal, confidential, phi or restricted");
            return new RawContent(Canonical.Sensitivity.Phi, Declared: false, channelProfile);
        }
        return new RawContent(level, Declared: true, channelProfile);
    }

    /// <summary>True when a de-identification profile (a <c>deidentify:</c> section or a <c>deidentify</c> step) names at least one path to drop or tokenize.</summary>
    private static bool HasProfileEntries(ConfigSection? profile) =>
        profile is not null && profile.CountValues("drop") + profile.CountValues("tokenize") > 0;

    /// <summary>What a channel without a map step sends its destinations: raw messages of one class, maybe de-identified by a channel step.</summary>
    private sealed record RawContent(Canonical.Sensitivity Class, bool Declared, bool ChannelProfile);

    private static string Name(Canonical.Sensitivity level) => level.ToString().ToLowerInvariant();

    /// <summary>What a destination below <paramref name="level"/> needs, for the missing-class message.</summary>
    private static string Lower(Canonical.Sensitivity level) => level == Canonical.Sensitivity.Public
        ? ""
        : $"; a lower class ({string.Join(", ", Enum.GetValues<Canonical.Sensitivity>().Where(l => l < level).Select(Name))}) needs a deidentify profile on the destination or a 'map' step";

    /// <summary>The step type a module registers to build a destination's protection (tokenize, block with audit, de-identification profile).</summary>
    public const string ProtectionStepType = "deidentify";

    private static DestinationConfig? ReadDestination(ConfigSection section, ConnectorRegistry registry, ConnectorContext context, RawContent? raw)
    {
        var name = section.GetString("name", required: true);
        if (name is not null && !IsValidName(name))
        {
            section.Error("name", $"'{name}' must be 1-64 letters, digits, '-' or '_'");
            name = null;
        }
        var type = section.GetString("type", required: true);
        var retry = RetryOptions.Read(section.GetSection("retry"));
        var breaker = CircuitBreakerOptions.Read(section.GetSection("circuitBreaker"));
        var timeout = section.GetDuration("timeout", TimeSpan.FromSeconds(30));
        var concurrency = (int)section.GetInt("concurrency", 4, 1, 256);
        var label = name ?? section.Path;
        Canonical.Sensitivity? maxSensitivity = null;
        if (section.GetString("maxSensitivity") is { } sensitivityText)
        {
            if (Canonical.SensitivityPolicy.TryParse(sensitivityText, out var level))
            {
                maxSensitivity = level;
            }
            else
            {
                section.Error("maxSensitivity", $"'{sensitivityText}' is not a class: public, internal, confidential, phi or restricted");
            }
        }
        else if (raw is null)
        {
            // Nothing leaves unclassified: a mapped channel sends canonical records, whose fields carry classes.
            section.Error("maxSensitivity", $"destination '{label}' receives canonical records (the channel has a 'map' step) but declares no class: add maxSensitivity: public, internal, confidential, phi or restricted (the highest class it may receive; fields above it are dropped, tokenized or blocked per phiAction)");
        }
        else
        {
            // Nothing leaves unclassified: a destination of a raw channel declares its class too, so a reviewer sees at a glance where PHI may go.
            section.Error("maxSensitivity", $"destination '{label}' declares no class: add maxSensitivity: {Name(raw.Class)} (the channel has no 'map' step, so it sends raw messages, which count as {Name(raw.Class)}{(raw.Declared ? " per the channel's contentSensitivity" : "")}){Lower(raw.Class)}");
        }
        if (raw is not null && maxSensitivity is { } highest && highest < raw.Class && !raw.ChannelProfile && !HasProfileEntries(section.IsSection("deidentify") ? section.GetSection("deidentify") : null))
        {
            var contentClass = raw.Declared
                ? $"the channel declares contentSensitivity: {Name(raw.Class)}"
                : "raw HL7 v2, FHIR, X12, CSV or other messages count as phi (they may carry patient identifiers)";
            section.Error("maxSensitivity", $"destination '{label}' may receive at most {Name(highest)}, but the channel has no 'map' step, so it sends raw messages unchanged and {contentClass}: map them to canonical records (a 'map' step), add a deidentify profile (deidentify: {{ drop: [...], tokenize: [...] }}), raise maxSensitivity to {Name(raw.Class)}, or, when this channel never carries patient data (X12 850 purchase orders, an item master CSV), declare contentSensitivity: {Name(highest)} on the channel");
        }
        var phiAction = section.GetChoice("phiAction", "drop", "drop", "tokenize", "block") switch
        {
            "tokenize" => Canonical.PhiAction.Tokenize,
            "block" => Canonical.PhiAction.Block,
            _ => Canonical.PhiAction.Drop,
        };
        Core.Pipeline.IPipelineStep? protection = null;
        if (phiAction != Canonical.PhiAction.Drop || section.Has("deidentify"))
        {
            if (registry.TryGetStep(ProtectionStepType, out var protect))
            {
                protection = protect(section, context);
            }
            else
            {
                section.Error(section.Has("deidentify") ? "deidentify" : "phiAction", "tokenizing, blocking and de-identification profiles need the audit module, which this build does not load");
            }
        }
        IDestination? connector = null;
        if (type is not null)
        {
            if (registry.TryGetDestination(type, out var factory))
            {
                connector = factory(section, context);
            }
            else
            {
                section.Error("type", $"unknown destination type '{type}' (known: {string.Join(", ", registry.DestinationTypes)})");
            }
        }
        section.ReportUnknown();
        if (name is null || type is null || connector is null)
        {
            return null;
        }
        return new DestinationConfig
        {
            Name = name,
            Type = type,
            Connector = connector,
            Retry = retry,
            CircuitBreaker = breaker,
            Timeout = timeout,
            Concurrency = concurrency,
            MaxSensitivity = maxSensitivity,
            PhiAction = phiAction,
            Protection = protection,
        };
    }
}
