using Sinew.Engine.Config;

namespace Sinew.Host;

/// <summary>How <c>sinew run</c> was asked to start.</summary>
public sealed record SinewRunOptions
{
    /// <summary>The configuration folder (<c>sinew.yaml</c> and <c>channels/</c>).</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The data folder: the journal, and the base of relative paths in channel files.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Overrides <c>http.listen</c> from the configuration, e.g. <c>127.0.0.1:0</c> for any free port.</summary>
    public string? HttpListen { get; init; }

    /// <summary>Extra connectors (MLLP, FHIR, ERP) to add to the built-in ones.</summary>
    public Action<ConnectorRegistry>? Connectors { get; init; }

    /// <summary>How long in-flight deliveries may take to finish on stop.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);
}
