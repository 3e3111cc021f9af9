namespace Sinew.Core.Journal;

/// <summary>Where a received message stands in its channel's pipeline.</summary>
public enum MessageStatus
{
    /// <summary>Committed to the inbox, waiting for (or in) the pipeline.</summary>
    Received = 0,

    /// <summary>The pipeline ran and queued the message for its destinations.</summary>
    Processed = 1,

    /// <summary>A filter step stopped it on purpose; nothing is sent.</summary>
    Filtered = 2,

    /// <summary>A pipeline step failed; the message is in the exception queue.</summary>
    Failed = 3,

    /// <summary>Refused at intake (malformed, invalid); kept for inspection, never processed.</summary>
    Rejected = 4,

    /// <summary>Taken out of the exception queue by an operator, with a reason; never processed again.</summary>
    Discarded = 5,
}
