using Sinew.Core.Journal;

namespace Sinew.Host.Admin;

/// <summary>A channel as the admin API lists it.</summary>
public sealed record ChannelView(string Name, string Description, string Source, string State, IReadOnlyList<string> Destinations, CountsView Counts);

/// <summary>How many messages of a channel stand in each status.</summary>
public sealed record CountsView(long Received, long Processed, long Filtered, long Failed, long Rejected, long Discarded, long Total)
{
    public static CountsView From(ChannelCounts? c) =>
        c is null ? new CountsView(0, 0, 0, 0, 0, 0, 0) : new CountsView(c.Received, c.Processed, c.Filtered, c.Failed, c.Rejected, c.Discarded, c.Total);
}

/// <summary>A message in a search result (metadata only).</summary>
public sealed record MessageSummary(
    long Id, string Channel, string Source, string ContentType, DateTimeOffset ReceivedAt, string Status,
    string? ControlId, string? PartitionKey, int Generation, string? ErrorStep, string? Error, int BodyLength)
{
    public static MessageSummary From(StoredMessage m) => new(
        m.Id, m.Channel, m.Source, m.ContentType, m.ReceivedAt, m.Status.ToString().ToLowerInvariant(),
        m.ControlId, m.PartitionKey, m.Generation, m.ErrorStep, m.Error, m.BodyLength);
}

/// <summary>One page of messages, with the cursor of the next page.</summary>
public sealed record MessagePageView(IReadOnlyList<MessageSummary> Items, long? NextCursor);

/// <summary>A message with its raw bytes, the steps it went through, its deliveries and their attempts.</summary>
public sealed record MessageDetail(
    MessageSummary Message, string? Text, string BodyBase64, IReadOnlyList<StepView> Steps,
    IReadOnlyList<DeliveryView> Deliveries);

/// <summary>What one step did to the message: <c>passed</c>, <c>filtered</c>, <c>failed</c>, <c>not-run</c>, <c>pending</c>.</summary>
public sealed record StepView(string Name, string Outcome, string? Reason);

/// <summary>One outbox entry of the message and its attempts.</summary>
public sealed record DeliveryView(
    long OutboxId, string Destination, string Status, string PartitionKey, string IdempotencyKey, int Attempts,
    DateTimeOffset? DeliveredAt, DateTimeOffset NextAttemptAt, string? LastError, IReadOnlyList<AttemptView> History);

/// <summary>One delivery try.</summary>
public sealed record AttemptView(int Attempt, DateTimeOffset At, string Outcome, bool WillRetry, string? Detail, double DurationMs);

/// <summary>A destination queue.</summary>
public sealed record QueueView(string Channel, string Destination, long Depth, DateTimeOffset? OldestAt, double? OldestAgeSeconds, long DeadLetters, long Delivered, string Circuit);

/// <summary>One item of the exception queue.</summary>
public sealed record ExceptionView(long MessageId, string Channel, string? Destination, long? OutboxId, string? Step, string Reason, int Attempts, DateTimeOffset At);

/// <summary>The result of a reprocess of one message.</summary>
public sealed record ReprocessView(long MessageId, string Result);

/// <summary>The result of a reprocess by filter.</summary>
public sealed record BulkReprocessView(int Matched, int Requeued, IReadOnlyList<ReprocessView> Results);

/// <summary>A filter for a bulk reprocess.</summary>
public sealed record ReprocessFilter(string? Channel, string? Status, DateTimeOffset? From, DateTimeOffset? To, string? ControlId, int? Limit);

/// <summary>The reason an operator gives when discarding from the exception queue.</summary>
public sealed record DiscardRequest(string Reason);

/// <summary>The state of a channel after pause or resume.</summary>
public sealed record ChannelStateView(string Name, string State);

/// <summary>The answer to an accepted inbound message.</summary>
public sealed record AcceptedView(long MessageId, bool Duplicate);

/// <summary>A canonical type version and where its JSON Schema is.</summary>
public sealed record SchemaView(string Id, string Name, int Version, string Schema);
