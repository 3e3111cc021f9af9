namespace Sinew.Core.Journal;

/// <summary>Where one outbox entry (one message for one destination) stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Queued; waiting for its turn in its partition or for its next retry.</summary>
    Pending = 0,

    /// <summary>The destination accepted it.</summary>
    Delivered = 1,

    /// <summary>Retries ran out or the destination refused it for good: it is in the exception queue.</summary>
    DeadLettered = 2,

    /// <summary>An operator discarded it from the exception queue, with a reason.</summary>
    Discarded = 3,
}
