using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Sources;

namespace Sinew.Engine.Config;

/// <summary>One channel: a source, ordered steps, one or more destinations; loaded from one YAML file.</summary>
public sealed record ChannelConfig
{
    public required string Name { get; init; }
    public required string File { get; init; }
    public required ISource Source { get; init; }
    public required IReadOnlyList<NamedStep> Steps { get; init; }
    public required IReadOnlyList<DestinationConfig> Destinations { get; init; }
    public ChannelOrder Order { get; init; } = ChannelOrder.Partition;
    public PartitionKeyExpression PartitionKey { get; init; } = PartitionKeyExpression.None;
    public RetentionPolicy Retention { get; init; } = new(TimeSpan.FromDays(30), 1_000_000);
    public string Description { get; init; } = "";

    /// <summary>
    /// The class the channel's raw (non-canonical) messages count as for its destinations: <c>contentSensitivity</c>, or
    /// phi when not declared (HL7 v2, FHIR, X12 and CSV may carry patient identifiers). Null when a map step makes every
    /// message canonical, whose fields carry their own classes.
    /// </summary>
    public Canonical.Sensitivity? ContentSensitivity { get; init; }

    /// <summary>The channel's service-level objectives, watched by the SLA monitor.</summary>
    public IReadOnlyList<Sla.SlaDefinition> Slas { get; init; } = [];
}

/// <summary>A pipeline step with the name it has in its channel file (for the exception queue and traces).</summary>
public sealed record NamedStep(string Name, IPipelineStep Step);
