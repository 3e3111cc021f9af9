namespace Sinew.Core.Journal;

/// <summary>A message as the inbox holds it.</summary>
public sealed record StoredMessage
{
    public required long Id { get; init; }
    public required string Channel { get; init; }
    public required string Source { get; init; }
    public required string ContentType { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required MessageStatus Status { get; init; }
    public string? ControlId { get; init; }
    public string? DedupeKey { get; init; }
    public string? PartitionKey { get; init; }

    /// <summary>How many times the pipeline was re-run by a reprocess (0 the first time).</summary>
    public int Generation { get; init; }

    /// <summary>The step that failed, for <see cref="MessageStatus.Failed"/>.</summary>
    public string? ErrorStep { get; init; }

    /// <summary>Why it failed or was rejected.</summary>
    public string? Error { get; init; }

    public DateTimeOffset? ProcessedAt { get; init; }

    /// <summary>The W3C traceparent of the message's trace, so later steps and deliveries join it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The raw bytes; empty when the caller asked for metadata only.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    public int BodyLength { get; init; }
}
