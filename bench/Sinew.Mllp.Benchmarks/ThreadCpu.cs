using System.Globalization;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// CPU time of this process's threads grouped by what they do, read from <c>/proc/self/task/*/stat</c> (Linux; empty
/// elsewhere): says which part of the engine a message's CPU goes to.
/// </summary>
internal sealed class ThreadCpu
{
    /// <summary>The senders' threads (named <c>bench-sender</c>), with any other thread that ended between the snapshots.</summary>
    private const string Senders = "senders";

    /// <summary>Thread id → its group and its CPU ticks so far.</summary>
    private readonly Dictionary<string, (string Group, long Ticks)> _ticks;

    private ThreadCpu(Dictionary<string, (string Group, long Ticks)> ticks) => _ticks = ticks;

    public static ThreadCpu Snapshot()
    {
        var ticks = new Dictionary<string, (string Group, long Ticks)>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return new ThreadCpu(ticks);
        }
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }
            // "tid (comm) state ..." — the name may hold spaces, so the fields are counted from the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            var used = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            ticks[Path.GetFileName(task)] = (GroupOf(stat[(open + 1)..close]), used);
        }
        return new ThreadCpu(ticks);
    }

    /// <summary>
    /// µs of CPU per message for each group between two snapshots, thread by thread. Threads that ended in between (the
    /// senders, which run on threads of their own, and any the pool retired) are what the process used beyond the threads
    /// still alive.
    /// </summary>
    public static Dictionary<string, double> PerMessage(ThreadCpu before, ThreadCpu after, TimeSpan processCpu, long messages)
    {
        const double microsPerTick = 1e6 / 100; // USER_HZ
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (after._ticks.Count == 0 || messages == 0)
        {
            return result;
        }
        double alive = 0;
        foreach (var (tid, (group, ticks)) in after._ticks)
        {
            var earlier = before._ticks.TryGetValue(tid, out var was) && was.Group == group ? was.Ticks : 0;
            var used = (ticks - earlier) * microsPerTick;
            if (used > 0)
            {
                result[group] = result.GetValueOrDefault(group) + used / messages;
                alive += used;
            }
        }
        result[Senders] = result.GetValueOrDefault(Senders) + Math.Max(0, processCpu.TotalMicroseconds - alive) / messages;
        return result;
    }

    private static string GroupOf(string name) => name switch
    {
        ".NET TP Worker" => "thread pool",
        ".NET Long Runni" => "journal writer",
        "sinew-mllp-poll" => "MLLP pollers",
        "sinew-intake-fl" => "intake flusher",
        ".NET Sockets" => ".NET socket engine",
        _ when name.StartsWith("Sinew.Mllp.Ben", StringComparison.Ordinal) => "bench threads",
        ".NET Tiered Com" => "JIT compiler",
        "bench-sender" => Senders,
        _ => "other runtime threads",
    };
}
