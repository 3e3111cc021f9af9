using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Soak;

/// <summary>
/// Soak through the quickstart as a user runs it (samples/quickstart, HTTP → file): 500 messages a second, open loop,
/// for 30 s in CI and 10 minutes with SINEW_SLOW_TESTS=1. Measures receive→ACK and receive→delivered (file time),
/// samples the child's RSS, and counts errors. Figures, not timing assertions: only errors and unbounded memory fail it.
/// </summary>
public sealed partial class QuickstartSoakTests : IDisposable
{
    private const int Rate = 500;
    private const int MaxInFlight = 128;
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Quickstart_At500MessagesPerSecond_EveryMessageAcknowledgedAndDelivered_RssFlat_NoErrors()
    {
        var duration = ChildProcess.Slow ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(30);
        var rssEvery = ChildProcess.Slow ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(5);
        // The quickstart as shipped, with its fixed MLLP ports moved to free ones so parallel runs never collide.
        var config = _folder.Combine("config");
        foreach (var file in Directory.GetFiles(Path.Combine(SinewProcess.RepoRoot, "samples", "quickstart"), "*.yaml", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(SinewProcess.RepoRoot, "samples", "quickstart"), file);
            // Listeners take a port the OS picks; the forwarding channel (not used here) points at a closed port.
            var text = ListenPort().Replace(File.ReadAllText(file), "listen: 127.0.0.1:0");
            _folder.Write(Path.Combine("config", relative), ToPort().Replace(text, $"to: 127.0.0.1:{Ports.Free()}"));
        }
        var data = _folder.Combine("data");
        await using var sinew = await SinewProcess.StartAsync(config, data);

        var sent = new ConcurrentDictionary<long, (long SentTicks, double AckMs)>();
        var errors = new ConcurrentQueue<string>();
        var rss = new List<(double At, long Bytes)>();
        using var gate = new SemaphoreSlim(MaxInFlight);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = MaxInFlight }) { BaseAddress = sinew.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var nextRss = TimeSpan.Zero;
        var total = (int)(Rate * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / Rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            if (clock.Elapsed >= nextRss)
            {
                rss.Add((clock.Elapsed.TotalSeconds, ChildProcess.RssBytes(sinew.Id)));
                nextRss += rssEvery;
            }
            await gate.WaitAsync();
            var sequence = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var wall = DateTime.UtcNow.Ticks;
                    using var request = new HttpRequestMessage(HttpMethod.Post, "in/http-to-file") { Content = new StringContent($"{{\"soak\":{sequence}}}") };
                    request.Headers.Add("X-Partition-Key", $"p{sequence % 16}");
                    using var response = await http.SendAsync(request);
                    var ackMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        errors.Enqueue($"{sequence}: HTTP {(int)response.StatusCode}");
                        return;
                    }
                    var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("messageId").GetInt64();
                    sent[id] = (wall, ackMs);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    errors.Enqueue($"{sequence}: {ex.GetType().Name}: {ex.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(inFlight);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        rss.Add((clock.Elapsed.TotalSeconds, ChildProcess.RssBytes(sinew.Id)));

        var folder = Path.Combine(data, "out", "http-to-file");
        long Written() => Directory.Exists(folder) ? Directory.GetFiles(folder).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) : 0;
        await Admin.WhileProgressingAsync(() => Task.FromResult(Written() >= sent.Count), Written, stall: TimeSpan.FromSeconds(60), cap: TimeSpan.FromMinutes(20), pollMs: 1000);
        var delivered = new List<double>();
        foreach (var file in Directory.GetFiles(folder))
        {
            var parts = Path.GetFileName(file).Split('-');
            if (parts.Length >= 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && sent.TryGetValue(id, out var m))
            {
                delivered.Add(TimeSpan.FromTicks(File.GetLastWriteTimeUtc(file).Ticks - m.SentTicks).TotalMilliseconds);
            }
        }
        var acks = sent.Values.Select(v => v.AckMs).ToList();
        var logged = sinew.Output.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        var settled = rss.Where(r => r.At >= Math.Min(10, sendSeconds / 3)).ToList();
        Figures.Report("soak", $"{duration.TotalSeconds:0} s at {Rate}/s target: {sent.Count} acknowledged in {sendSeconds:0.0} s ({sent.Count / sendSeconds:0}/s achieved), {delivered.Count} delivered, {errors.Count} errors, {logged.Count} error log lines; receive→ACK p50 {Percentiles.Of(acks, 50):0.0} ms p99 {Percentiles.Of(acks, 99):0.0} ms; receive→delivered p50 {Percentiles.Of(delivered, 50):0.0} ms p99 {Percentiles.Of(delivered, 99):0.0} ms; RSS MB " + string.Join(" ", rss.Select(r => $"{r.At:0}s:{r.Bytes / 1048576}")));

        Assert.Empty(errors);
        Assert.Empty(logged);
        Assert.Equal(total, sent.Count);
        Assert.Equal(sent.Count, delivered.Count);
        // Flat: after warm-up, memory may wander with the GC but not climb with the number of messages sent.
        Assert.True(settled.Max(r => r.Bytes) - settled.Min(r => r.Bytes) < 150L * 1024 * 1024, "RSS climbed: " + string.Join(", ", settled.Select(r => r.Bytes / 1048576)));
    }

    [GeneratedRegex(@"listen: 127\.0\.0\.1:\d+")]
    private static partial Regex ListenPort();

    [GeneratedRegex(@"to: 127\.0\.0\.1:\d+")]
    private static partial Regex ToPort();

    public void Dispose() => _folder.Dispose();
}
