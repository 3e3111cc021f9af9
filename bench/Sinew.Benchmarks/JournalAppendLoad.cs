using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite;

namespace Sinew.Benchmarks;

/// <summary>
/// Durable appends per second with 1, 4, 16 and 64 concurrent producers through the journal, acknowledged from the
/// group-committed inbox table and (as <c>sinew run</c> opens it) from the intake log, beside one fsync per message (a
/// plain SQLite autocommit insert, synchronous=FULL) measured in the same run.
/// </summary>
internal static class JournalAppendLoad
{
    private static readonly byte[] s_body = Encoding.ASCII.GetBytes(
        "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261125080000||ORU^R01|CTRL|P|2.5.1\rPID|1||TOKEN-123\rOBR|1|||CBC\rOBX|1|NM|WBC||7.2|10*9/L|4-11|N|||F\r");

    public static async Task RunAsync(TimeSpan duration, string outputFolder)
    {
        var folder = Path.Combine(Environment.CurrentDirectory, "bench-data-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var rows = new List<Row>();
        try
        {
            foreach (var producers in new[] { 1, 16 })
            {
                rows.Add(await PerMessageFsyncAsync(Path.Combine(folder, $"plain-{producers}.db"), producers, duration));
            }
            foreach (var producers in new[] { 1, 4, 16, 64 })
            {
                rows.Add(await GroupCommitAsync(Path.Combine(folder, $"journal-{producers}.db"), producers, duration, intake: false));
            }
            foreach (var producers in new[] { 1, 4, 16, 64 })
            {
                rows.Add(await GroupCommitAsync(Path.Combine(folder, $"intake-{producers}.db"), producers, duration, intake: true));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Write(rows, outputFolder, duration);
    }

    private sealed record Row(string Mode, int Producers, long Appends, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Appends / Seconds;
    }

    private static async Task<Row> GroupCommitAsync(string path, int producers, TimeSpan duration, bool intake)
    {
        await using var journal = SqliteJournal.Open(new SqliteJournalOptions(path) { Intake = intake });
        var latencies = new List<double>[producers];
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var list = latencies[p] = new List<double>(100_000);
            var i = 0;
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await journal.AppendAsync(new InboundMessage("bench", "bench", "application/hl7-v2", s_body) { ControlId = $"{p}-{i++}" }, CancellationToken.None);
                list.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        // With intake, what was acknowledged must also reach the inbox table: the time to get there counts.
        await journal.IsPausedAsync("bench", CancellationToken.None);
        var total = stopwatch.Elapsed.TotalSeconds;
        return Summarize(intake ? "intake log (Sinew journal as sinew run opens it)" : "group commit (Sinew journal)", producers, latencies, intake ? total : elapsed);
    }

    private static async Task<Row> PerMessageFsyncAsync(string path, int producers, TimeSpan duration)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE m (id INTEGER PRIMARY KEY, control TEXT, body BLOB NOT NULL);";
            pragma.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO m (control, body) VALUES ($c, $b)";
        var control = insert.Parameters.Add("$c", SqliteType.Text);
        var body = insert.Parameters.Add("$b", SqliteType.Blob);
        var gate = new SemaphoreSlim(1, 1);
        var latencies = new List<double>[producers];
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var list = latencies[p] = new List<double>(100_000);
            var i = 0;
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await gate.WaitAsync();
                try
                {
                    // Autocommit: one transaction and one fsync per message, as an engine without group commit does.
                    control.Value = $"{p}-{i++}";
                    body.Value = s_body;
                    insert.ExecuteNonQuery();
                }
                finally
                {
                    gate.Release();
                }
                list.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return Summarize("one fsync per message (plain SQLite)", producers, latencies, stopwatch.Elapsed.TotalSeconds);
    }

    private static Row Summarize(string mode, int producers, List<double>[] latencies, double seconds)
    {
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var row = new Row(mode, producers, all.Length, seconds, Percentile(all, 0.50), Percentile(all, 0.99));
        Console.WriteLine($"{mode,-40} producers={producers,3}  {row.PerSecond,10:N0} appends/s  p50={row.P50Ms:0.000} ms  p99={row.P99Ms:0.000} ms");
        return row;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Write(List<Row> rows, string outputFolder, TimeSpan duration)
    {
        Directory.CreateDirectory(outputFolder);
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {CpuModel()}";
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var markdown = new StringBuilder();
        markdown.AppendLine("# Journal durable appends (synchronous=FULL, WAL)").AppendLine();
        markdown.AppendLine($"Date: {date}  ").AppendLine($"Machine: {machine}  ").AppendLine($"Each row runs {duration.TotalSeconds:0} s; message body {s_body.Length} bytes (HL7 v2 ORU).").AppendLine();
        markdown.AppendLine("| mode | producers | appends/s | p50 ms | p99 ms |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {row.Mode} | {row.Producers} | {row.PerSecond:N0} | {row.P50Ms:0.000} | {row.P99Ms:0.000} |");
        }
        File.WriteAllText(Path.Combine(outputFolder, "journal-append.md"), markdown.ToString());
        File.WriteAllText(Path.Combine(outputFolder, "journal-append.json"), JsonSerializer.Serialize(new { date, machine, rows = rows.Select(r => new { r.Mode, r.Producers, r.Appends, r.Seconds, r.PerSecond, r.P50Ms, r.P99Ms }) }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"written {Path.Combine(outputFolder, "journal-append.md")}");
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
