using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sinew.Mllp;
using Sinew.Mllp.Benchmarks;

// Load tool: an ACK-only MllpListener driven by N connections in the same process, each sending its next
// message as soon as the previous ACK arrives (closed loop). Two kinds of sender:
//  - blocking: a thread per connection with blocking sockets, allocation-free, so B/msg is the listener's own;
//  - MllpClient: Sinew's async sender, as a destination connector would use it (B/msg is client + listener).
// Both kinds run over plain TCP, then the blocking sender again over TLS 1.3 (ECDSA P-256, handshake outside the timing).
// Usage: dotnet run -c Release --project bench/Sinew.Mllp.Benchmarks -- [seconds per run] [connection counts...]
//        dotnet run -c Release --project bench/Sinew.Mllp.Benchmarks -- ingest [seconds per run] [output folder]
//          durable ingest through MllpSource + SinewEngine + SqliteJournal beside the ACK-only ceiling (DurableIngest.cs).
if (args.Length > 2 && args[0] == "ingest-one")
{
    // One durable row only (for a profiler or an experiment): ingest-one <connections> <seconds> [lean]
    await DurableIngest.RunOneAsync(int.Parse(args[1]), int.Parse(args[2]), args.Length > 3 && args[3] == "lean");
    return;
}
if (args.Length > 0 && args[0] == "ingest")
{
    await DurableIngest.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 5, [1, 4, 16, 64], args.Length > 2 ? args[2] : Path.Combine("bench", "results"));
    return;
}

var seconds = args.Length > 0 ? int.Parse(args[0]) : 5;
int[] counts = args.Length > 1 ? [.. args.Skip(1).Select(int.Parse)] : [1, 4, 16, 64];
var message = Encoding.ASCII.GetBytes(
    "MSH|^~\\&|LAB|HOSP|SINEW|HOSP|20260101000000||ORU^R01|MSG00001|P|2.5\rPID|1||123456^^^HOSP^MR||DOE^JANE||19800101|F\r" +
    "OBR|1||LAB1|CBC^Complete blood count\rOBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL|12-16|N|||F\r");

Console.WriteLine($"MLLP ceiling: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {message.Length}-byte ORU^R01, {seconds} s per run after 1 s warm-up");
Console.WriteLine();
Console.WriteLine("| sender | connections | msgs/s | p50 µs | p99 µs | allocated B/msg |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
using var certificate = BenchCertificate.Create();
foreach (var (blocking, tls, label) in new[] { (true, false, "blocking (listener only)"), (false, false, "MllpClient (+ client)"), (true, true, "blocking over TLS 1.3") })
{
    foreach (var connections in counts)
    {
        var (rate, p50, p99, bytesPerMessage) = await RunAsync(connections, seconds, message, blocking, tls ? certificate : null);
        Console.WriteLine($"| {label} | {connections} | {rate:N0} | {p50:N0} | {p99:N0} | {bytesPerMessage:N0} |");
    }
}

static async Task<(double Rate, double P50, double P99, long BytesPerMessage)> RunAsync(int connections, int seconds, byte[] message, bool blocking, X509Certificate2? certificate)
{
    var options = new MllpListenerOptions
    {
        EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Name = "bench",
        MaxConnections = connections + 8,
        Tls = certificate is null ? null : new MllpServerTlsOptions { Certificate = certificate },
    };
    await using var listener = new MllpListener(options, new AckOnlyHandler());
    await listener.StartAsync(CancellationToken.None);
    var endPoint = listener.LocalEndPoint!;
    Func<long, List<long>?, Task>[] senders;
    var disposables = new List<IAsyncDisposable>();
    if (blocking)
    {
        senders = [.. Enumerable.Range(0, connections).Select(_ =>
        {
            var sender = new BlockingSender(endPoint, message, certificate);
            disposables.Add(new AsyncDisposable(sender));
            return (Func<long, List<long>?, Task>)((end, latencies) => Task.Factory.StartNew(() => sender.Run(end, latencies), TaskCreationOptions.LongRunning));
        })];
    }
    else
    {
        senders = [.. Enumerable.Range(0, connections).Select(_ =>
        {
            var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = endPoint.Port });
            disposables.Add(client);
            return (Func<long, List<long>?, Task>)((end, latencies) => Drive(client, message, end, latencies));
        })];
    }

    try
    {
        await Task.WhenAll(senders.Select(s => s(Deadline(1), null)));
        var latencies = senders.Select(_ => new List<long>(1 << 20)).ToArray();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(senders.Select((s, i) => s(Deadline(seconds), latencies[i])));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / elapsed.TotalSeconds, Micros(all, 0.50), Micros(all, 0.99), allocated / Math.Max(1, all.Length));
    }
    finally
    {
        foreach (var disposable in disposables)
        {
            await disposable.DisposeAsync();
        }
    }
}

static long Deadline(int seconds) => Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;

static double Micros(long[] sorted, double quantile) =>
    sorted.Length == 0 ? 0 : Stopwatch.GetElapsedTime(0, sorted[(int)Math.Min(sorted.Length - 1, quantile * sorted.Length)]).TotalMicroseconds;

static async Task Drive(MllpClient client, byte[] message, long end, List<long>? latencies)
{
    while (Stopwatch.GetTimestamp() < end)
    {
        var start = Stopwatch.GetTimestamp();
        await client.SendAsync(message, CancellationToken.None);
        latencies?.Add(Stopwatch.GetTimestamp() - start);
    }
}

internal sealed class AsyncDisposable(IDisposable inner) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        inner.Dispose();
        return ValueTask.CompletedTask;
    }
}
