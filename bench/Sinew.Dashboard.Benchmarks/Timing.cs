using System.Diagnostics;

namespace Sinew.Dashboard.Benchmarks;

/// <summary>One query timed: the first (cold) call, then the median and 95th percentile of 20 more.</summary>
internal sealed record Timing(double ColdMs, double MedianMs, double P95Ms, int Rows)
{
    public const int Runs = 20;

    public static async Task<Timing> MeasureAsync(Func<Task<int>> run)
    {
        var stopwatch = Stopwatch.StartNew();
        var rows = await run();
        var cold = stopwatch.Elapsed.TotalMilliseconds;
        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            stopwatch.Restart();
            await run();
            times[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return new Timing(cold, times[Runs / 2], times[(int)Math.Ceiling(Runs * 0.95) - 1], rows);
    }
}
