namespace Sinew.Core.Journal;

/// <summary>How long a channel keeps finished messages: by age, by count, or both (whichever removes more).</summary>
/// <remarks>Only finished messages are pruned (delivered, filtered, rejected, discarded); nothing still queued or in the exception queue.</remarks>
public sealed record RetentionPolicy(TimeSpan? MaxAge, long? MaxCount);
