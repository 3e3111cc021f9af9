namespace Sinew.Core.Journal;

/// <summary>One item of the exception queue: a failed pipeline step, or a delivery that was dead-lettered.</summary>
public sealed record ExceptionEntry
{
    public required long MessageId { get; init; }
    public required string Channel { get; init; }

    /// <summary>The destination, for a dead-lettered delivery; null for a pipeline failure.</summary>
    public string? Destination { get; init; }

    /// <summary>The outbox entry, for a dead-lettered delivery.</summary>
    public long? OutboxId { get; init; }

    /// <summary>The failing step, for a pipeline failure.</summary>
    public string? Step { get; init; }

    public required string Reason { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset At { get; init; }
}
