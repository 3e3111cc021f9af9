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
/// MLLP durable ingest through the engine's real pieces (MllpSource → SinewEngine → SqliteJournal with its intake log, as
/// <c>sinew run</c> opens it: the ACK is sent only after the message's record is flushed to disk), beside the ACK-only
/// listener, one raw write + fdatasync per message and one plain SQLite autocommit insert per message, all measured in the
/// same run.
/// </summary>
internal static class DurableIngest
{
    private const string Channel = "ingest";

    private sealed record Row(string Mode, int Connections, long Messages, double Seconds, double P50Us, double P99Us)
    {
        public double PerSecond => Messages / Seconds;

        /// <summary>Flushes the ACKs waited for during the measured seconds (intake log flushes; durable rows only).</summary>
        public long Commits { get; init; }

        /// <summary>Mean time of one such flush (write + fdatasync), in µs.</summary>
        public double CommitMeanUs { get; init; }

        /// <summary>Moves of acknowledged messages into the inbox table (SQLite commits) during the measured seconds.</summary>
        public long Moves { get; init; }

        /// <summary>Mean messages per move.</summary>
        public double MoveBatchMean { get; init; }

        /// <summary>Acknowledged messages not yet in the inbox table when the measured seconds ended.</summary>
        public long BacklogAtEnd { get; init; }

        /// <summary>Time the mover needed after the run to put every acknowledged message in the inbox table, in ms.</summary>
        public double DrainMs { get; init; }

        /// <summary>Mean messages per flush.</summary>
        public double BatchMean => Commits == 0 ? 0 : (double)BatchWrites / Commits;

        public long BatchWrites { get; init; }

        /// <summary>Mean receive→ACK as the sender sees it, in µs.</summary>
        public double MeanUs { get; init; }

        /// <summary>Mean time of the journal append call, from the call to its completion, in µs (durable rows).</summary>
        public double AppendMeanUs { get; init; }

        /// <summary>CPU time of the whole process (senders included) per message, in µs.</summary>
        public double CpuUsPerMessage { get; init; }

        /// <summary>The same CPU per message split by thread group (<see cref="ThreadCpu"/>), in µs.</summary>
        public IReadOnlyDictionary<string, double>? CpuByThreads { get; init; }
    }

    /// <summary>
    /// Listens to the journal's own histograms during a measured run: the intake flushes the ACKs wait for
    /// (<c>sinew.journal.intake.*</c>) and the inbox commits that move messages (<c>sinew.journal.commit.*</c>).
    /// </summary>
    private sealed class CommitCounters : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _commits;
        private long _writes;
        private double _commitMs;
        private long _moves;
        private volatile bool _on;

        public CommitCounters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Sinew.Journal")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
            {
                if (_on && instrument.Name == "sinew.journal.intake.batch_size")
                {
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _writes, value);
                }
                if (_on && instrument.Name == "sinew.journal.commit.batch_size")
                {
                    Interlocked.Increment(ref _moves);
                }
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (_on && instrument.Name == "sinew.journal.intake.flush.duration")
                {
                    _commitMs += value; // one flusher at a time records these
                }
            });
            _listener.Start();
        }

        public void Measure(bool on) => _on = on;

        public Row Annotate(Row row) => row with { Commits = _commits, BatchWrites = _writes, CommitMeanUs = _commits == 0 ? 0 : _commitMs * 1000 / _commits, Moves = _moves };

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
            rows.Add(RawDataSyncs(Path.Combine(work, "raw.log"), TimeSpan.FromSeconds(Math.Max(2, seconds / 2))));
            for (var cpu = 0; cpu < Math.Min(Environment.ProcessorCount, 8); cpu++)
            {
                rows.Add(RawDataSyncsOn(cpu, Path.Combine(work, $"raw-cpu{cpu}.log"), TimeSpan.FromSeconds(2)));
            }
            rows.Add(PlainAutocommitInserts(Path.Combine(work, "plain.db"), TimeSpan.FromSeconds(Math.Max(2, seconds / 2))));
            foreach (var connections in counts)
            {
                rows.Add(await AckOnlyAsync(connections, seconds));
                rows.Add(await DurableAsync(Path.Combine(work, $"d{connections}"), connections, seconds, deliver: false));
            }
            rows.Add(await DurableAsync(Path.Combine(work, "deliver16"), 16, seconds, deliver: true));
            rows.Add(RawDataSyncs(Path.Combine(work, "raw-again.log"), TimeSpan.FromSeconds(Math.Max(2, seconds / 2))) with { Mode = "raw write + fdatasync, again at the end" });
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
        var options = new MllpListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Name = "ceiling", MaxConnections = connections + 8, InlineReceives = InlineReceives };
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
              inlineReceives: {(InlineReceives ? "true" : "false")}
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
        // As sinew run opens it: acknowledged from the intake log, moved into the inbox table in batches.
        await using var journal = SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(data, "journal.db")) 
        {
            Intake = Environment.GetEnvironmentVariable("SINEW_BENCH_INTAKE") != "0",
            IntakeMoveDelay = TimeSpan.FromMilliseconds(double.Parse(Environment.GetEnvironmentVariable("SINEW_BENCH_MOVE_DELAY_MS") ?? "2", CultureInfo.InvariantCulture)),
        });
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
        // Timing each append goes through a reflection proxy that costs about a tenth of the CPU of a message: only on request.
        var (timedJournal, appendTiming) = Environment.GetEnvironmentVariable("SINEW_BENCH_APPEND_TIMING") == "1"
            ? AppendTimingJournal.Wrap(journal)
            : ((Sinew.Core.Journal.IJournal)journal, (AppendTimingJournal?)null);
        await using var engine = new SinewEngine(sinewConfig, timedJournal, NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        try
        {
            var source = (MllpSource)engine.FindChannel(Channel)!.Config.Source;
            var mode = deliver ? "durable ingest + delivery to files" : "durable ingest (MllpSource + SinewEngine + SqliteJournal)";
            using var counters = new CommitCounters();
            var row = counters.Annotate(Drive(mode, source.EndPoint, connections, seconds, counters, appendTiming)) with { AppendMeanUs = appendTiming?.MeanMicros ?? 0 };
            // The mover must keep up: what it still owes when the senders stop, and how long it takes to pay it.
            var backlog = journal.IntakeBacklog;
            var draining = Stopwatch.GetTimestamp();
            while (journal.IntakeBacklog > 0)
            {
                await Task.Delay(1);
            }
            row = row with { BacklogAtEnd = backlog, DrainMs = Stopwatch.GetElapsedTime(draining).TotalMilliseconds, MoveBatchMean = row.Moves == 0 ? 0 : (double)row.Messages / row.Moves };
            Console.WriteLine($"{"",60} intake: {row.Commits:N0} flushes, {row.BatchMean:0.0} messages per flush, flush (write + fdatasync) mean {row.CommitMeanUs:N0} µs; append call→done mean {(appendTiming is null ? "(not timed)" : $"{row.AppendMeanUs:N0} µs")}; receive→ACK mean {row.MeanUs:N0} µs");
            Console.WriteLine($"{"",60} inbox: {row.Moves:N0} moves (~{row.MoveBatchMean:N0} messages each); backlog at the end {row.BacklogAtEnd:N0}, drained in {row.DrainMs:N0} ms");
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
            var threadsBefore = ThreadCpu.Snapshot();
            var started = Stopwatch.GetTimestamp();
            RunAll(senders, Deadline(seconds), latencies);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var threadsAfter = ThreadCpu.Snapshot();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            counters?.Measure(false);
            appendTiming?.Measure(false);
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var row = new Row(mode, connections, all.Length, elapsed, Micros(all, 0.50), Micros(all, 0.99)) { MeanUs = all.Length == 0 ? 0 : Stopwatch.GetElapsedTime(0, (long)all.Average()).TotalMicroseconds, CpuUsPerMessage = cpu.TotalMicroseconds / Math.Max(1, all.Length) };
            row = row with { CpuByThreads = ThreadCpu.PerMessage(threadsBefore, threadsAfter, cpu, all.Length) };
            Console.WriteLine($"{mode,-60} connections={connections,3} {row.PerSecond,10:N0} msg/s  p50={row.P50Us,7:N0} µs  p99={row.P99Us,7:N0} µs  cpu/msg={row.CpuUsPerMessage,5:N0} µs ({cpu.TotalSeconds / elapsed:0.00} cores)");
            Console.WriteLine($"{"",60} cpu µs/msg by threads: {string.Join(", ", row.CpuByThreads.OrderByDescending(g => g.Value).Select(g => $"{g.Key} {g.Value:0.0}"))}");
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
        var threads = senders.Select((s, i) => new Thread(() => s.Run(end, latencies?[i])) { IsBackground = true, Name = "bench-sender" }).ToArray();
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

    /// <summary>
    /// One 300-byte write and one fdatasync per message into a file whose blocks were written before: the least a durable
    /// message can cost on this disk, the "fsync time" of the one-connection bound.
    /// </summary>
    private static Row RawDataSyncs(string path, TimeSpan duration)
    {
        const int record = 300;
        const long size = 64L * 1024 * 1024;
        using (var create = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var zeros = new byte[1024 * 1024];
            for (long at = 0; at < size; at += zeros.Length)
            {
                RandomAccess.Write(create, zeros, at);
            }
        }
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        DataSync(handle);
        var bytes = new byte[record];
        long offset = 0;
        for (var i = 0; i < 200; i++, offset += record)
        {
            RandomAccess.Write(handle, bytes, offset);
            DataSync(handle);
        }
        return OneAtATime("raw write + fdatasync (one flush per message)", "syncs/s", duration, () => offset + record < size, _ =>
        {
            RandomAccess.Write(handle, bytes, offset);
            DataSync(handle);
            offset += record;
        });
    }

    /// <summary>
    /// <see cref="RawDataSyncs"/> on a thread held to one CPU: a flush's wait ends with the disk's interrupt, and a thread
    /// on another CPU than the one that takes it is woken by that CPU, which on a VM costs tens of µs.
    /// </summary>
    private static Row RawDataSyncsOn(int cpu, string path, TimeSpan duration)
    {
        Row? row = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var mask = 1UL << cpu;
                if (sched_setaffinity(0, sizeof(ulong), ref mask) != 0)
                {
                    throw new InvalidOperationException($"sched_setaffinity to CPU {cpu} failed: " + Marshal.GetLastPInvokeErrorMessage());
                }
                row = RawDataSyncs(path, duration);
            }
            catch (Exception ex)
            {
                failure = ex; // rethrown on the caller's thread: an exception on this one would end the process unexplained
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("raw fdatasync loop on one CPU failed: " + failure.Message, failure);
        }
        return row! with { Mode = $"raw write + fdatasync, thread on CPU {cpu}" };
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, ref ulong mask);

    /// <summary>Runs <paramref name="once"/> back to back for <paramref name="duration"/> (or until <paramref name="more"/> says stop), timing each.</summary>
    private static Row OneAtATime(string mode, string unit, TimeSpan duration, Func<bool> more, Action<int> once)
    {
        var latencies = new List<long>(1 << 18);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; Stopwatch.GetTimestamp() < end && more(); i++)
        {
            var start = Stopwatch.GetTimestamp();
            once(i);
            latencies.Add(Stopwatch.GetTimestamp() - start);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.Order().ToArray();
        var row = new Row(mode, 1, all.Length, elapsed, Micros(all, 0.50), Micros(all, 0.99));
        Console.WriteLine($"{row.Mode,-60} {"",15} {row.PerSecond,10:N0} {unit,-7}  p50={row.P50Us,7:N0} µs  p99={row.P99Us,7:N0} µs");
        return row;
    }

    private static void DataSync(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (fdatasync(handle) != 0)
        {
            throw new IOException("fdatasync failed: " + Marshal.GetLastPInvokeErrorMessage());
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(Microsoft.Win32.SafeHandles.SafeFileHandle fd);

    /// <summary>One transaction, so one fsync, per insert: what a single message costs in a plain SQLite table on this disk.</summary>
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
        return OneAtATime("plain SQLite autocommit insert (one fsync each)", "ins/s", duration, () => true, i =>
        {
            control.Value = i.ToString(CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        });
    }

    /// <summary>Whether the listeners use Sinew's own poller threads: yes unless SINEW_BENCH_INLINE=0 (to compare).</summary>
    private static bool InlineReceives => Environment.GetEnvironmentVariable("SINEW_BENCH_INLINE") != "0";

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
        var plain = rows.First(r => r.Mode.StartsWith("plain SQLite", StringComparison.Ordinal));
        var fsyncAgain = rows[^1];
        var rtt = rows.First(r => r.Mode.StartsWith("ACK-only", StringComparison.Ordinal) && r.Connections == 1);
        var oneConnectionBound = 1e6 / (fsyncMeanUs + rtt.P50Us);
        var durableOne = rows.First(r => r.Mode.StartsWith("durable ingest (", StringComparison.Ordinal) && r.Connections == 1);
        var ceiling16 = rows.FirstOrDefault(r => r.Mode.StartsWith("ACK-only", StringComparison.Ordinal) && r.Connections == 16);
        var durable16 = rows.FirstOrDefault(r => r.Mode.StartsWith("durable ingest (", StringComparison.Ordinal) && r.Connections == 16);
        var summary = new
        {
            fsyncMeanUs,
            fsyncP50Us = fsync.P50Us,
            plainSqliteInsertMeanUs = 1e6 / plain.PerSecond,
            roundTripP50Us = rtt.P50Us,
            oneConnectionBoundPerSecond = oneConnectionBound,
            oneConnectionShareOfBound = durableOne.PerSecond / oneConnectionBound,
            sixteenConnectionsPerSecond = durable16?.PerSecond,
            sixteenConnectionsShareOfCeiling = durable16 is null || ceiling16 is null ? (double?)null : durable16.PerSecond / ceiling16.PerSecond,
            fsyncMeanUsAtTheEnd = 1e6 / fsyncAgain.PerSecond,
            fsyncMeanUsByCpu = rows.Where(r => r.Mode.StartsWith("raw write + fdatasync, thread on CPU", StringComparison.Ordinal)).Select(r => 1e6 / r.PerSecond).ToArray(),
            fsyncP50UsAtTheEnd = fsyncAgain.P50Us,
        };
        File.WriteAllText(Path.Combine(outputFolder, "mllp-ingest.json"), JsonSerializer.Serialize(
            new { date, machine, secondsPerRow = seconds, summary, rows = rows.Select(r => new { r.Mode, r.Connections, r.Messages, r.Seconds, r.PerSecond, r.P50Us, r.P99Us, r.Commits, r.BatchMean, r.CommitMeanUs, r.Moves, r.MoveBatchMean, r.BacklogAtEnd, r.DrainMs, r.CpuUsPerMessage, r.CpuByThreads, r.MeanUs, r.AppendMeanUs }) },
            new JsonSerializerOptions { WriteIndented = true }));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"fsync (raw write + fdatasync): mean {fsyncMeanUs:N0} µs, p50 {fsync.P50Us:N0} µs; plain SQLite insert mean {1e6 / plain.PerSecond:N0} µs; ACK-only round trip p50 {rtt.P50Us:N0} µs; 1-connection bound 1/(fsync + round trip) = {oneConnectionBound:N0} msg/s");
        text.AppendLine(CultureInfo.InvariantCulture, $"1 connection: {durableOne.PerSecond:N0} msg/s = {summary.oneConnectionShareOfBound:P0} of the bound (target 80%)");
        if (durable16 is not null && ceiling16 is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"16 connections: {durable16.PerSecond:N0} msg/s = {summary.sixteenConnectionsShareOfCeiling:P0} of the ACK-only ceiling {ceiling16.PerSecond:N0} (targets 20,000 and 45%)");
        }
        Console.WriteLine(text);
        Console.WriteLine($"written {Path.Combine(outputFolder, "mllp-ingest.json")}");
    }
}
