namespace Sinew.Host.Dashboard;

/// <summary>
/// Recent message totals per channel, sampled in memory, so the overview can draw messages per minute over the last hour
/// without a query per minute. It starts empty when the process starts; a restart forgets it.
/// </summary>
internal sealed class ThroughputHistory(TimeProvider time)
{
    /// <summary>How far back the sparkline looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Buckets of the sparkline: one per minute.</summary>
    public const int Buckets = 60;

    private readonly Dictionary<string, Queue<(DateTimeOffset At, long Total)>> _samples = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Records each channel's total message count as of now.</summary>
    public void Record(IEnumerable<(string Channel, long Total)> totals)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var (channel, total) in totals)
            {
                if (!_samples.TryGetValue(channel, out var queue))
                {
                    _samples[channel] = queue = new Queue<(DateTimeOffset, long)>();
                }
                queue.Enqueue((now, total));
                // One sample just older than the window stays, so the first minute has a starting point.
                while (queue.Count > 2 && now - queue.ElementAt(1).At > Window)
                {
                    queue.Dequeue();
                }
            }
        }
    }

    /// <summary>Messages received per minute over the last hour, oldest first; null when fewer than two samples exist.</summary>
    public long[]? PerMinute(string channel)
    {
        (DateTimeOffset At, long Total)[] samples;
        lock (_lock)
        {
            if (!_samples.TryGetValue(channel, out var queue) || queue.Count < 2)
            {
                return null;
            }
            samples = queue.ToArray();
        }
        var now = time.GetUtcNow();
        var buckets = new long[Buckets];
        for (var i = 1; i < samples.Length; i++)
        {
            // Retention can lower the total; a drop is not negative traffic.
            var delta = Math.Max(0, samples[i].Total - samples[i - 1].Total);
            var minutesAgo = (int)((now - samples[i].At).TotalMinutes);
            if (minutesAgo is >= 0 and < Buckets)
            {
                buckets[Buckets - 1 - minutesAgo] += delta;
            }
        }
        return buckets;
    }
}
