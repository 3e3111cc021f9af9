namespace Sinew.Core.Journal;

/// <summary>What a reprocess did to one message.</summary>
public enum ReprocessResult
{
    /// <summary>No such message.</summary>
    NotFound = 0,

    /// <summary>Dead-lettered deliveries were queued again with their original idempotency keys.</summary>
    DeliveriesRequeued = 1,

    /// <summary>The pipeline will run again from the raw message (new generation, new idempotency keys).</summary>
    PipelineRequeued = 2,

    /// <summary>The message is still in flight; nothing to do.</summary>
    AlreadyPending = 3,
}
