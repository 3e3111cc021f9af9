using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Connectors.Hl7;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Journal.Sqlite;
using Sinew.Mllp;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// MLLP durable ingest through the engine's real pieces (MllpSource → SinewEngine → SqliteJournal, synchronous=FULL,
/// the ACK sent only after the group commit), beside the ACK-only listener and one plain SQLite autocommit insert
/// (one fsync per message) measured in the same run.
/// </summary>
internal static class DurableIngest
{
    private const string Channel = "ingest";

    private sealed record Row(string Mode, int Connections, long Messages, double Seconds, double P50Us, double P99Us)
    {
        public double PerSecond => Messages / Seconds;

        /// <summary>Journal commits during the measured seconds (durable rows only).</summary>
        public long Commits { get; init; }

        /// <summary>Mean time of one journal commit, the fsync included, in µs.</summary>
        public double CommitMeanUs { get; init; }

        /// <summary>Mean writes per commit.</summary>
        public double BatchMean => Commits == 0 ? 0 : (double)BatchWrites / Commits;

        public long BatchWrites { get; init; }

        /// <summary>Mean receive→ACK as the sender sees it, in µs.</summary>
        public double MeanUs { get; init; }

        /// <summary>Mean time of the journal append call, from the call to its completion, in µs (durable rows).</summary>
        public double AppendMeanUs { get; init; }

        /// <summary>CPU time of the whole process (senders included) per message, in µs.</summary>
        public double CpuUsPerMessage { get; init; }
    }

    /// <summary>Listens to the journal's own commit histograms (<c>sinew.journal.commit.*</c>) during a measured run.</summary>
    private sealed class CommitCounters : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _commits;
        private long _writes;
        private double _commitMs;
        private volatile bool _on;

        public CommitCounters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Sinew.Journal" && instrument.Name.StartsWith("sinew.journal.commit.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
            {
                if (_on && instrument.Name == "sinew.journal.commit.batch_size")
                {
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _writes, value);
                }
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (_on && instrument.Name == "sinew.journal.commit.duration")
                {
                    _commitMs += value; // one writer thread records these
                }
            });
            _listener.Start();
        }

        public void Measure(bool on) => _on = on;

        public Row Annotate(Row row) => row with { Commits = _commits, BatchWrites = _writes, CommitMeanUs = _commits == 0 ? 0 : _commitMs * 1000 / _commits };

        public void Dispose() => _listener.Dispose();
    }

    public static async Task RunAsync(int seconds, int[] counts, string outputFolder)
    {
        var work = Path.Combine(Environment.CurrentDirectory, "mllp-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var rows = new List<Row>();
        try
        {
            CodecCost();
            var fsync = PlainAutocommitInserts(Path.Combine(work, "plain.db"), TimeSpan.FromSeconds(Math.Max(2, seconds / 2)));
            rows.Add(fsync);
            foreach (var connections in counts)
            {
                rows.Add(await AckOnlyAsync(connections, seconds));
                rows.Add(await DurableAsync(Path.Combine(work, $"d{connections}"), connections, seconds, deliver: false));
            }
            rows.Add(await DurableAsync(Path.Combine(work, "deliver16"), 16, seconds, deliver: true));
            rows.Add(PlainAutocommitInserts(Path.Combine(work, "plain-again.db"), TimeSpan.FromSeconds(Math.Max(2, seconds / 2))) with { Mode = "plain SQLite autocommit insert, again at the end" });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Write(rows, outputFolder, seconds);
    }

    /// <summary>One durable-ingest row and nothing else, to attach a profiler to.</summary>
    /// <param name="leanInbox">Experiment: drop inbox indexes the ingest path does not read to see what they cost per commit (default received and control; the environment variable SINEW_BENCH_DROP gives other DROP INDEX statements).</param>
    public static async Task RunOneAsync(int connections, int seconds, bool leanInbox)
    {
        var work = Path.Combine(Environment.CurrentDirectory, "mllp-ingest-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await DurableAsync(work, connections, seconds, deliver: false, leanInbox);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Row> AckOnlyAsync(int connections, int seconds)
    {
        var options = new MllpListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Name = "ceiling", MaxConnections = connections + 8 };
        await using var listener = new MllpListener(options, new AckOnlyHandler());
        await listener.StartAsync(CancellationToken.None);
        return Drive("ACK-only listener (ceiling)", listener.LocalEndPoint!, connections, seconds);
    }

    private static async Task<Row> DurableAsync(string folder, int connections, int seconds, bool deliver, bool leanInbox = false)
    {
        var config = Path.Combine(folder, "config");
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(Path.Combine(config, "channels"));
        await File.WriteAllTextAsync(Path.Combine(config, "channels", Channel + ".yaml"), $"""
            name: {Channel}
            source:
              type: mllp
              listen: 127.0.0.1:0
              validate: false
              maxConnections: 256
            destinations:
              - name: archive
                type: file
                path: out/{Channel}
                maxSensitivity: phi
            """);
        Directory.CreateDirectory(data);
        var registry = Hl7Connectors.Register(BuiltInConnectors.Register(new ConnectorRegistry()));
        var (loaded, diagnostics) = ConfigLoader.Load(config, data, registry);
        var sinewConfig = loaded ?? throw new InvalidOperationException(string.Join("\n", diagnostics.Errors));
        await using var journal = SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(data, "journal.db")));
        if (leanInbox)
        {
            await using var schema = new SqliteConnection($"Data Source={Path.Combine(data, "journal.db")};Pooling=False");
            schema.Open();
            using var drop = schema.CreateCommand();
            drop.CommandText = Environment.GetEnvironmentVariable("SINEW_BENCH_DROP") ?? "DROP INDEX ix_inbox_received; DROP INDEX ix_inbox_control;";
            drop.ExecuteNonQuery();
            Console.WriteLine("experiment: inbox without ix_inbox_received, ix_inbox_control");
        }
        if (!deliver)
        {
            // Ingest alone: the pipeline is paused, so the journal writer serves only the MLLP commits.
            await journal.SetPausedAsync(Channel, true, CancellationToken.None);
        }
        var (timedJournal, appendTiming) = AppendTimingJournal.Wrap(journal);
        await using var engine = new SinewEngine(sinewConfig, timedJournal, NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        try
        {
            var source = (MllpSource)engine.FindChannel(Channel)!.Config.Source;
            var mode = deliver ? "durable ingest + delivery to files" : "durable ingest (MllpSource + SinewEngine + SqliteJournal)";
            using var counters = new CommitCounters();
            var row = counters.Annotate(Drive(mode, source.EndPoint, connections, seconds, counters, appendTiming)) with { AppendMeanUs = appendTiming.MeanMicros };
            Console.WriteLine($"{"",60} journal: {row.Commits:N0} commits, {row.BatchMean:0.0} writes per commit, commit (fsync) mean {row.CommitMeanUs:N0} µs; append call→done mean {row.AppendMeanUs:N0} µs; receive→ACK mean {row.MeanUs:N0} µs");
            await using var check = new SqliteConnection($"Data Source={Path.Combine(data, "journal.db")};Mode=ReadOnly;Pooling=False");
            check.Open();
            using var count = check.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM inbox";
            var stored = (long)count.ExecuteScalar()!;
            if (stored < row.Messages)
            {
                throw new InvalidOperationException($"{row.Messages} messages were acknowledged but only {stored} are in the journal");
            }
            return row;
        }
        finally
        {
            await engine.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
    }

    /// <summary>Connects, warms up for a second, then measures <paramref name="seconds"/> of closed-loop sending.</summary>
    private static Row Drive(string mode, IPEndPoint endPoint, int connections, int seconds, CommitCounters? counters = null, AppendTimingJournal? appendTiming = null)
    {
        var senders = Enumerable.Range(0, connections).Select(i => new NumberedSender(endPoint, i)).ToArray();
        try
        {
            RunAll(senders, Deadline(1), null);
            var latencies = senders.Select(_ => new List<long>(1 << 18)).ToArray();
            counters?.Measure(true);
            appendTiming?.Measure(true);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            RunAll(senders, Deadline(seconds), latencies);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            counters?.Measure(false);
            appendTiming?.Measure(false);
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var row = new Row(mode, connections, all.Length, elapsed, Micros(all, 0.50), Micros(all, 0.99)) { MeanUs = all.Length == 0 ? 0 : Stopwatch.GetElapsedTime(0, (long)all.Average()).TotalMicroseconds, CpuUsPerMessage = cpu.TotalMicroseconds / Math.Max(1, all.Length) };
            Console.WriteLine($"{mode,-60} connections={connections,3} {row.PerSecond,10:N0} msg/s  p50={row.P50Us,7:N0} µs  p99={row.P99Us,7:N0} µs  cpu/msg={row.CpuUsPerMessage,5:N0} µs ({cpu.TotalSeconds / elapsed:0.00} cores)");
            return row;
        }
        finally
        {
            foreach (var sender in senders)
            {
                sender.Dispose();
            }
        }
    }

    private static void RunAll(NumberedSender[] senders, long end, List<long>[]? latencies)
    {
        var threads = senders.Select((s, i) => new Thread(() => s.Run(end, latencies?[i])) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    /// <summary>What the MLLP source does to each message before the journal, timed alone: parse, ACK code, ACK bytes.</summary>
    private static void CodecCost()
    {
        var message = Encoding.ASCII.GetBytes(
            "MSH|^~\\&|LAB|LANE000|SINEW|HOSP|20260101000000||ORU^R01|M0000000001|P|2.5\rPID|1||123456^^^HOSP^MR||DOE^JANE||19800101|F\r" +
            "OBR|1||LAB1|CBC^Complete blood count\rOBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL|12-16|N|||F\r");
        var options = new Sinew.Hl7v2.Hl7ParseOptions { AllowLineFeedTerminators = true, AllowByteOrderMark = true };
        long bytes = 0;
        var started = Stopwatch.GetTimestamp();
        const int rounds = 50_000;
        for (var i = 0; i < rounds; i++)
        {
            var parsed = Sinew.Hl7v2.Hl7Message.Parse(message, options);
            var code = Sinew.Hl7v2.AckBuilder.CodeFor(parsed.Message!, parsed.Issues);
            bytes += Sinew.Hl7v2.AckBuilder.Build(parsed.Message!, code, parsed.Issues).Length;
        }
        Console.WriteLine($"codec per message (parse + ACK code + ACK bytes, one thread): {Stopwatch.GetElapsedTime(started).TotalMicroseconds / rounds:0.0} µs ({bytes / rounds} ACK bytes)");
    }

    /// <summary>One transaction, so one fsync, per insert: what a single durable message costs on this disk.</summary>
    private static Row PlainAutocommitInserts(string path, TimeSpan duration)
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

        // Steady state, as in a journal that has run a while: fill the WAL past its checkpoint size once, so the
        // measured commits overwrite WAL blocks that exist instead of growing the file (a metadata commit each).
        body.Value = new byte[4096];
        for (var t = 0; t < 12; t++)
        {
            using var fill = connection.BeginTransaction();
            insert.Transaction = fill;
            for (var i = 0; i < 100; i++)
            {
                control.Value = "fill";
                insert.ExecuteNonQuery();
            }
            fill.Commit();
        }
        insert.Transaction = null;
        body.Value = new byte[203];
        for (var i = 0; i < 200; i++)
        {
            control.Value = "warm";
            insert.ExecuteNonQuery();
        }
        var latencies = new List<long>(1 << 18);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; Stopwatch.GetTimestamp() < end; i++)
        {
            var start = Stopwatch.GetTimestamp();
            control.Value = i.ToString(CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
            latencies.Add(Stopwatch.GetTimestamp() - start);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.Order().ToArray();
        var row = new Row("plain SQLite autocommit insert (one fsync each)", 1, all.Length, elapsed, Micros(all, 0.50), Micros(all, 0.99));
        Console.WriteLine($"{row.Mode,-60} {"",15} {row.PerSecond,10:N0} ins/s  p50={row.P50Us,7:N0} µs  p99={row.P99Us,7:N0} µs");
        return row;
    }

    private static long Deadline(int seconds) => Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;

    private static double Micros(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : Stopwatch.GetElapsedTime(0, sorted[(int)Math.Min(sorted.Length - 1, quantile * sorted.Length)]).TotalMicroseconds;

    private static void Write(List<Row> rows, string outputFolder, int seconds)
    {
        Directory.CreateDirectory(outputFolder);
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
        var fsync = rows[0];
        var fsyncMeanUs = 1e6 / fsync.PerSecond;
        var fsyncAgain = rows[^1];
        var rtt = rows.First(r => r.Mode.StartsWith("ACK-only", StringComparison.Ordinal) && r.Connections == 1);
        var oneConnectionBound = 1e6 / (fsyncMeanUs + rtt.P50Us);
        var summary = new
        {
            fsyncMeanUs,
            fsyncP50Us = fsync.P50Us,
            roundTripP50Us = rtt.P50Us,
            oneConnectionBoundPerSecond = oneConnectionBound,
            fsyncMeanUsAtTheEnd = 1e6 / fsyncAgain.PerSecond,
            fsyncP50UsAtTheEnd = fsyncAgain.P50Us,
        };
        File.WriteAllText(Path.Combine(outputFolder, "mllp-ingest.json"), JsonSerializer.Serialize(
            new { date, machine, secondsPerRow = seconds, summary, rows = rows.Select(r => new { r.Mode, r.Connections, r.Messages, r.Seconds, r.PerSecond, r.P50Us, r.P99Us, r.Commits, r.BatchMean, r.CommitMeanUs, r.CpuUsPerMessage, r.MeanUs, r.AppendMeanUs }) },
            new JsonSerializerOptions { WriteIndented = true }));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"fsync (plain autocommit insert): mean {fsyncMeanUs:N0} µs, p50 {fsync.P50Us:N0} µs; ACK-only round trip p50 {rtt.P50Us:N0} µs; 1-connection bound 1/(fsync + round trip) = {oneConnectionBound:N0} msg/s");
        Console.WriteLine(text);
        Console.WriteLine($"written {Path.Combine(outputFolder, "mllp-ingest.json")}");
    }
}
