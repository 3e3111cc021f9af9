namespace Sinew.Core.Journal;

/// <summary>A message as a source received it, before it is committed to the inbox.</summary>
/// <param name="Channel">The channel it arrived on.</param>
/// <param name="Source">Where it came from, e.g. <c>http 127.0.0.1:51234</c> or <c>file orders/a.hl7</c>; never patient data.</param>
/// <param name="ContentType">Media type of <paramref name="Body"/>, e.g. <c>application/hl7-v2</c>.</param>
/// <param name="Body">The raw bytes, exactly as received.</param>
public sealed record InboundMessage(string Channel, string Source, string ContentType, ReadOnlyMemory<byte> Body)
{
    /// <summary>Key that makes a repeat of this message a duplicate (source + MSH-10, Idempotency-Key, file hash); null for none.</summary>
    public string? DedupeKey { get; init; }

    /// <summary>How long a dedupe key is remembered; an older message with the same key no longer makes this one a duplicate. Null: as long as the message is kept.</summary>
    public TimeSpan? DedupeWindow { get; init; }

    /// <summary>The sender's control id (MSH-10, X12 control number, Idempotency-Key), searchable.</summary>
    public string? ControlId { get; init; }

    /// <summary>Ordering key chosen by the source, if any; the pipeline may replace it.</summary>
    public string? PartitionKey { get; init; }

    /// <summary><see cref="MessageStatus.Received"/> for normal intake, <see cref="MessageStatus.Rejected"/> to keep refused input for inspection.</summary>
    public MessageStatus Status { get; init; } = MessageStatus.Received;

    /// <summary>Why it was rejected, when <see cref="Status"/> is <see cref="MessageStatus.Rejected"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The answer the source sends (an ACK), kept so a duplicate gets the same answer.</summary>
    public ReadOnlyMemory<byte> Response { get; init; }

    /// <summary>The W3C traceparent of the trace this message belongs to (ids only, never content).</summary>
    public string? TraceParent { get; init; }

    /// <summary>When it arrived.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}
