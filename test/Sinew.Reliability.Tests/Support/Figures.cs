namespace Sinew.Reliability.Tests.Support;

/// <summary>
/// Where a suite reports its figures: the test output, and (when <c>SINEW_RELIABILITY_RESULTS</c> names a file) one
/// line appended there, which is how <c>bench/results/reliability-*.txt</c> are made.
/// </summary>
internal static class Figures
{
    public static void Report(string suite, string line)
    {
        var text = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {suite}: {line} (load {ChildProcess.LoadAverage})";
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        if (Environment.GetEnvironmentVariable("SINEW_RELIABILITY_RESULTS") is { Length: > 0 } file)
        {
            lock (typeof(Figures))
            {
                File.AppendAllText(file, text + Environment.NewLine);
            }
        }
    }
}
