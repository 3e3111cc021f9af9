namespace Sinew.Core.Journal;

/// <summary>
/// The durable store behind every promise Sinew makes: the inbox (every received message, raw),
/// the outbox (one FIFO-per-partition queue per destination), the dead letters (the exception queue)
/// and the attempt history. A write returns only after it is durably committed.
/// </summary>
/// <remarks>SQLite is the embedded default; other backends must pass the same compliance suite.</remarks>
public interface IJournal : IAsyncDisposable
{
    /// <summary>Commits a received message to the inbox, or finds the earlier one with the same dedupe key.</summary>
    ValueTask<AppendResult> AppendAsync(InboundMessage message, CancellationToken cancellationToken);

    /// <summary>Messages of a channel still waiting for the pipeline, oldest first.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadReceivedAsync(string channel, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Commits pipeline outcomes: the status of each message and its outbox entries, all or nothing per call.</summary>
    Task RouteAsync(IReadOnlyList<RouteOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// The entries of one destination that may be tried now: the oldest pending entry of each partition
    /// (of the whole queue when <paramref name="strictOrder"/>), due at or before <paramref name="now"/>.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ReadDeliverableAsync(string channel, string destination, DateTimeOffset now, bool strictOrder, int limit, CancellationToken cancellationToken);

    /// <summary>When the next entry that may be tried (a partition head) is due, or null when the queue is empty.</summary>
    Task<DateTimeOffset?> NextDueAsync(string channel, string destination, bool strictOrder, CancellationToken cancellationToken);

    /// <summary>Records one delivery try and moves the entry to its new state (delivered, retry later, dead letter).</summary>
    Task RecordAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken);

    Task<StoredMessage?> GetMessageAsync(long id, bool withBody, CancellationToken cancellationToken);

    Task<MessagePage> SearchAsync(MessageQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(long messageId, CancellationToken cancellationToken) =>
        GetOutboxEntriesAsync(messageId, withPayload: false, cancellationToken);

    /// <summary>The outbox entries of a message, with what each destination is sent when <paramref name="withPayload"/>.</summary>
    Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(long messageId, bool withPayload, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(long messageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChannelCounts>> GetChannelCountsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<QueueInfo>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Failed messages and dead-lettered deliveries, newest failure first; ties (failures in the same millisecond) newest
    /// message first, so a page lists the same items in the same order every time it is shown.
    /// </summary>
    Task<IReadOnlyList<ExceptionEntry>> GetExceptionsAsync(string? channel, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// For a channel's deliveries of messages received since <paramref name="since"/>: how many were delivered within
    /// <paramref name="within"/> of receipt, and how many were not (delivered later, or still waiting past it).
    /// </summary>
    Task<(long OnTime, long Late)> GetDeliveryTimelinessAsync(string channel, DateTimeOffset since, TimeSpan within, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>When the newest message of a channel was received, or null when it has none.</summary>
    Task<DateTimeOffset?> GetLastReceivedAsync(string channel, CancellationToken cancellationToken);

    /// <summary>Puts a message back to work: dead-lettered deliveries are requeued, otherwise the pipeline re-runs.</summary>
    Task<ReprocessResult> ReprocessAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>Removes a dead-lettered delivery from the exception queue for good, with the operator's reason.</summary>
    Task<bool> DiscardAsync(long outboxId, string reason, CancellationToken cancellationToken);

    /// <summary>Takes a failed or rejected message out of the exception queue for good (and discards its dead-lettered deliveries), with the operator's reason.</summary>
    Task<bool> DiscardMessageAsync(long messageId, string reason, CancellationToken cancellationToken);

    /// <summary>Whether a channel is paused; survives restarts.</summary>
    Task<bool> IsPausedAsync(string channel, CancellationToken cancellationToken);

    Task SetPausedAsync(string channel, bool paused, CancellationToken cancellationToken);

    /// <summary>Deletes finished messages of a channel beyond its retention; returns how many inbox rows went.</summary>
    Task<long> PruneAsync(string channel, RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);
}
