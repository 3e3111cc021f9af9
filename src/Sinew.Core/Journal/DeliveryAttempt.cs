namespace Sinew.Core.Journal;

/// <summary>The record of one try to hand an outbox entry to its destination.</summary>
public sealed record DeliveryAttempt
{
    public required long OutboxId { get; init; }
    public required int Attempt { get; init; }
    public required DateTimeOffset At { get; init; }
    public required DeliveryStatus Outcome { get; init; }

    /// <summary>True when the try failed and another will follow.</summary>
    public bool WillRetry { get; init; }

    /// <summary>The destination's answer or the error, shortened; never message content.</summary>
    public string? Detail { get; init; }

    public double DurationMs { get; init; }

    /// <summary>When the next try is due (retry) — ignored otherwise.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
}
