using System.Diagnostics;
using System.Reflection;
using Sinew.Core.Journal;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// Wraps the journal the engine is given and times each <see cref="IJournal.AppendAsync"/> from the call to its
/// completion (queue wait + insert + commit + hand-back), so a run can say how much of receive→ACK is the journal.
/// Every other call passes straight through.
/// </summary>
public class AppendTimingJournal : DispatchProxy
{
    private IJournal _inner = null!;
    private long _count;
    private long _ticks;
    private volatile bool _on;

    public static (IJournal Journal, AppendTimingJournal Timing) Wrap(IJournal inner)
    {
        var proxy = Create<IJournal, AppendTimingJournal>();
        var timing = (AppendTimingJournal)(object)proxy;
        timing._inner = inner;
        return (proxy, timing);
    }

    public void Measure(bool on) => _on = on;

    /// <summary>Mean append time in µs over the measured appends.</summary>
    public double MeanMicros => _count == 0 ? 0 : Stopwatch.GetElapsedTime(0, _ticks / _count).TotalMicroseconds;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name != nameof(IJournal.AppendAsync) || !_on)
        {
            return Invoke(targetMethod, args, _inner);
        }
        var started = Stopwatch.GetTimestamp();
        var append = ((ValueTask<AppendResult>)Invoke(targetMethod, args, _inner)!).AsTask();
        return new ValueTask<AppendResult>(Timed(append, started));
    }

    private async Task<AppendResult> Timed(Task<AppendResult> append, long started)
    {
        var result = await append.ConfigureAwait(false);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
        return result;
    }

    private static object? Invoke(MethodInfo method, object?[]? args, IJournal target)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
