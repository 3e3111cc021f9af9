using System.Globalization;

namespace Sinew.Reliability.Tests.Support;

/// <summary>What /proc says about a child process: its resident memory, so tests can show memory stays bounded.</summary>
internal static class ChildProcess
{
    /// <summary>VmRSS of <paramref name="pid"/> in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }

    public static bool IsRoot => Environment.UserName == "root";

    public static bool Slow => Environment.GetEnvironmentVariable("SINEW_SLOW_TESTS") == "1";

    /// <summary>The machine's load average now, for the figures (the build machine is shared).</summary>
    public static string LoadAverage => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
