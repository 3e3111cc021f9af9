namespace Sinew.Core.Journal;

/// <summary>The state of one destination's outbox queue.</summary>
public sealed record QueueInfo(string Channel, string Destination, long Depth, DateTimeOffset? OldestAt, long DeadLetters, long Delivered);
