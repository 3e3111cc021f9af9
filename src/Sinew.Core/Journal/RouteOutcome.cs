namespace Sinew.Core.Journal;

/// <summary>What the pipeline decided for one message; committed atomically with its outbox entries.</summary>
public sealed record RouteOutcome(long MessageId, MessageStatus Status)
{
    /// <summary>The generation of the run (see <see cref="StoredMessage.Generation"/>); a stale outcome is ignored.</summary>
    public int Generation { get; init; }

    public IReadOnlyList<OutboundMessage> Outbound { get; init; } = [];

    public string? ErrorStep { get; init; }

    public string? Error { get; init; }

    /// <summary>The partition key the pipeline settled on, stored for search.</summary>
    public string? PartitionKey { get; init; }

    public static RouteOutcome Failed(long messageId, int generation, string step, string reason) =>
        new(messageId, MessageStatus.Failed) { Generation = generation, ErrorStep = step, Error = reason };
}
