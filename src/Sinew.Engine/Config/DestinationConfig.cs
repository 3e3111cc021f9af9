using Sinew.Core.Delivery;

namespace Sinew.Engine.Config;

/// <summary>One destination of a channel, with its connector and its delivery policy.</summary>
public sealed record DestinationConfig
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required IDestination Connector { get; init; }
    public RetryOptions Retry { get; init; } = RetryOptions.Default;
    public CircuitBreakerOptions CircuitBreaker { get; init; } = CircuitBreakerOptions.Default;

    /// <summary>Longest one delivery try may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most sensitive class of canonical field this destination may receive; fields above it are taken out before
    /// the message is queued for it. Every destination loaded from YAML declares it (nothing leaves unclassified); null only
    /// for a destination built in code, which then has no limit (every field passes).
    /// </summary>
    public Canonical.Sensitivity? MaxSensitivity { get; init; }

    /// <summary>What happens to canonical fields above <see cref="MaxSensitivity"/>: drop (default), tokenize or block.</summary>
    public Canonical.PhiAction PhiAction { get; init; } = Canonical.PhiAction.Drop;

    /// <summary>
    /// The destination's protection step (tokenization, block with audit, de-identification profile of raw messages), run on
    /// this destination's copy of the payload before it is queued; a failed result blocks the delivery into the exception
    /// queue. Null: only <see cref="MaxSensitivity"/> with <see cref="PhiAction"/> applies.
    /// </summary>
    public Core.Pipeline.IPipelineStep? Protection { get; init; }

    /// <summary>How many partitions are delivered at the same time.</summary>
    public int Concurrency { get; init; } = 4;
}
