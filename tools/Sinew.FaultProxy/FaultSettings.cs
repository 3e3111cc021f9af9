namespace Sinew.FaultProxy;

/// <summary>
/// How the proxy behaves now. Latency, jitter and the bandwidth limit apply in every mode that forwards bytes, so a
/// slow link that also resets can be described. Read at every chunk: a change applies to open connections at once.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Plain forwarding.</summary>
    public static FaultSettings PassThrough { get; } = new();

    public FaultMode Mode { get; init; } = FaultMode.PassThrough;

    /// <summary>Added to each chunk, in each direction.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Up to this much more (uniformly random) on top of <see cref="Latency"/>.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Bytes per second per direction of each connection; 0 is unlimited.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>For <see cref="FaultMode.ResetAfterBytes"/>: bytes a connection carries (both directions) before its reset.</summary>
    public long ResetAfterBytes { get; init; }

    /// <summary>Problems with these settings, empty when they can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Latency < TimeSpan.Zero || Jitter < TimeSpan.Zero)
        {
            problems.Add("latency and jitter must not be negative");
        }
        if (BytesPerSecond < 0)
        {
            problems.Add("bandwidth must not be negative (0 is unlimited)");
        }
        if (Mode == FaultMode.ResetAfterBytes && ResetAfterBytes < 0)
        {
            problems.Add("reset-after must not be negative");
        }
        return problems;
    }
}
