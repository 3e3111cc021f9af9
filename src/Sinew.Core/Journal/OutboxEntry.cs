namespace Sinew.Core.Journal;

/// <summary>One message queued for one destination.</summary>
public sealed record OutboxEntry
{
    public required long Id { get; init; }
    public required long MessageId { get; init; }
    public required string Channel { get; init; }
    public required string Destination { get; init; }
    public required string PartitionKey { get; init; }

    /// <summary>Deterministic key the destination uses to drop repeats: message id (and generation) + destination.</summary>
    public required string IdempotencyKey { get; init; }

    public required string ContentType { get; init; }
    public required DeliveryStatus Status { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? LastError { get; init; }

    /// <summary>When the message was received at its source (for receive-to-delivered latency).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The W3C traceparent of the message's trace.</summary>
    public string? TraceParent { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
}
