namespace Sinew.Journal.Sqlite;

/// <summary>Where the SQLite journal lives and how its writer batches.</summary>
/// <param name="Path">The database file, e.g. <c>./data/journal.db</c>.</param>
public sealed record SqliteJournalOptions(string Path)
{
    /// <summary>Most writes that share one commit.</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>
    /// When writes come one at a time, run each on its caller's thread instead of handing it to the writer (two thread
    /// hops less per write). Off: every write goes through the writer's queue, as a test of batching needs.
    /// </summary>
    public bool RunAloneWhenQuiet { get; init; } = true;

    /// <summary>Writes that may wait for the writer before callers are slowed down.</summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary><c>FULL</c> (default: an acknowledged message survives power loss) or <c>NORMAL</c>.</summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>Whether every commit is flushed (<see cref="Synchronous"/> is anything but <c>NORMAL</c>).</summary>
    internal bool FlushesEveryCommit => !Synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase);

    /// <summary>The keys message bodies, responses and outbox payloads are encrypted with; null stores them in clear.</summary>
    public JournalKeyRing? Encryption { get; init; }

    /// <summary>
    /// Acknowledge received messages once they are durable in the intake log next to the database file
    /// (<c>journal.db-intake/</c>) and move them into the inbox table in batches; one process owns the log. Off: each
    /// message is committed to the inbox table before it is acknowledged (tools that open a journal another process runs).
    /// </summary>
    public bool Intake { get; init; }

    /// <summary>Size of one intake log segment file; a segment is reused once everything in it is in the inbox.</summary>
    public long IntakeSegmentSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long the mover lets messages gather before it moves them into the inbox (unless a reader is waiting).</summary>
    public TimeSpan IntakeMoveDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Acknowledged messages not yet in the inbox table at which intake waits for the mover.</summary>
    public int IntakeMaxBacklog { get; init; } = 20_000;

    /// <summary>The fewest dedupe keys the intake's key filter is built for before it grows (a test makes it small).</summary>
    internal long DedupeFilterMinKeys { get; init; } = 1 << 20;
}
