using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Sinew.Reliability.Tests.Peers;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Chaos;

/// <summary>
/// Kill -9 chaos over both entry points at once: HTTP and MLLP senders on several connections, Sinew SIGKILLed at
/// random moments (receiving, committing, running the pipeline, delivering, retrying) and restarted, deliveries to a
/// real HTTP peer that records idempotency keys. Afterwards: every acknowledged message processed exactly once, no
/// order inversion per partition, and Sinew's own counts agree. CI: 20 kills; SINEW_SLOW_TESTS=1: ≥ 200 kills over
/// ≥ 100,000 messages.
/// </summary>
public sealed class KillChaosTests : IAsyncLifetime
{
    private const int HttpSenders = 6;
    private const int MllpSenders = 6;
    private readonly TempFolder _folder = new();
    private RecordingHttpPeer _peer = null!;

    public async ValueTask InitializeAsync()
    {
        _peer = await RecordingHttpPeer.StartAsync();
        // Half of the deliveries fail once, so kills also land between a failed try and its retry.
        _peer.Answer = (key, _) => (key.GetHashCode(StringComparison.Ordinal) & 1) == 0 && _peer.Requests.Count % 3 == 0 ? new PeerAnswer(503) : PeerAnswer.Ok;
    }

    private string Channels() => $$"""
        name: chaos-http
        source:
          type: http
        partitionKey: header:X-Partition-Key
        destinations:
          - name: erp
            type: http
            maxSensitivity: phi
            url: http://127.0.0.1:{{_peer.Port}}/chaos
            timeout: 2s
            concurrency: 4
            retry: { maxAttempts: 1000, initialDelay: 20ms, maxDelay: 200ms }
            circuitBreaker: { failureRatio: 0.9, minimumThroughput: 100000, samplingDuration: 30s, breakDuration: 1s }
        """;

    private string MllpChannel() => $$"""
        name: chaos-mllp
        source:
          type: mllp
          listen: 127.0.0.1:0
          validate: false
          maxConnections: 64
        steps:
          - type: hl7
            partitionKey: PID-3.1
        destinations:
          - name: erp
            type: http
            maxSensitivity: phi
            url: http://127.0.0.1:{{_peer.Port}}/chaos
            timeout: 2s
            concurrency: 4
            retry: { maxAttempts: 1000, initialDelay: 20ms, maxDelay: 200ms }
            circuitBreaker: { failureRatio: 0.9, minimumThroughput: 100000, samplingDuration: 30s, breakDuration: 1s }
        """;

    [Fact]
    public async Task Kill9_AtRandomMomentsUnderHttpAndMllpLoad_EveryAcknowledgedMessageProcessedOnceInPartitionOrder()
    {
        var slow = ChildProcess.Slow;
        var minKills = slow ? 200 : 20;
        var minMessages = slow ? 100_000 : 0;
        _folder.Write("config/channels/chaos-http.yaml", Channels());
        _folder.Write("config/channels/chaos-mllp.yaml", MllpChannel());
        var config = _folder.Combine("config");
        var data = _folder.Combine("data");
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var negative = new ConcurrentQueue<string>();
        var random = new Random(20261125);
        var current = await SinewProcess.StartAsync(config, data);
        var baseUrl = current.BaseUrl;
        var mllpPort = SinewOutput.MllpPort(current, "chaos-mllp");
        using var stop = new CancellationTokenSource();

        var senders = new List<Task>();
        for (var s = 0; s < HttpSenders; s++)
        {
            var lane = s;
            senders.Add(Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
                {
                    var key = $"h{lane}-{sequence:D6}";
                    while (true)
                    {
                        try
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Volatile.Read(ref baseUrl), "in/chaos-http")) { Content = new StringContent(key) };
                            request.Headers.Add("Idempotency-Key", key);
                            request.Headers.Add("X-Partition-Key", $"h{lane}");
                            using var response = await http.SendAsync(request);
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                acknowledged[key] = 0;
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                        {
                        }
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }
                        await Task.Delay(20);
                    }
                }
            }));
        }
        for (var s = 0; s < MllpSenders; s++)
        {
            var lane = s;
            senders.Add(Task.Run(async () =>
            {
                await using var sender = new RestartTolerantMllpSender(() => Volatile.Read(ref mllpPort));
                for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
                {
                    var key = $"m{lane}-{sequence:D6}";
                    var message = Encoding.ASCII.GetBytes(Support.Channels.Hl7(key, $"LANE{lane}"));
                    if (await sender.SendUntilAcceptedAsync(message, key, negative.Enqueue, stop.Token) > 0)
                    {
                        acknowledged[key] = 0;
                    }
                }
            }));
        }

        var kills = 0;
        while (kills < minKills || acknowledged.Count < minMessages)
        {
            var before = acknowledged.Count;
            for (var waited = 0; acknowledged.Count < before + 5 && waited < 200; waited++)
            {
                await Task.Delay(25);
            }
            await Task.Delay(slow ? random.Next(200, 3000) : random.Next(50, 700));
            current.Kill();
            kills++;
            await current.DisposeAsync();
            current = await SinewProcess.StartAsync(config, data);
            Volatile.Write(ref baseUrl, current.BaseUrl);
            Volatile.Write(ref mllpPort, SinewOutput.MllpPort(current, "chaos-mllp"));
        }
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        // The last run delivers what is left; then the books are compared.
        _peer.Answer = (_, _) => PeerAnswer.Ok;
        var sinew = current;
        await using var _ = sinew;
        var settled = await Admin.WhileProgressingAsync(async () =>
        {
            var queues = await sinew.GetJsonAsync("api/v1/queues");
            return _peer.ProcessedCount >= acknowledged.Count && queues.EnumerateArray().All(q => q.GetProperty("depth").GetInt64() == 0);
        }, () => _peer.ProcessedCount, stall: TimeSpan.FromSeconds(60), cap: TimeSpan.FromMinutes(30));

        var processed = _peer.ProcessedBodies.Select(SinewOutput.KeyOf).ToList();
        var duplicated = processed.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var lost = acknowledged.Keys.Except(processed).ToList();
        var inverted = processed.GroupBy(k => k[..k.IndexOf('-', StringComparison.Ordinal)])
            .Sum(partition => partition.Zip(partition.Skip(1)).Count(pair => string.CompareOrdinal(pair.First, pair.Second) > 0));
        var httpCounts = await sinew.CountsAsync("chaos-http");
        var mllpCounts = await sinew.CountsAsync("chaos-mllp");
        var sinewProcessed = httpCounts.GetProperty("processed").GetInt64() + mllpCounts.GetProperty("processed").GetInt64();
        Figures.Report("kill-chaos", $"{kills} SIGKILLs, {HttpSenders} HTTP + {MllpSenders} MLLP senders, {acknowledged.Count} messages acknowledged, {processed.Count} processed at the destination ({processed.Count - acknowledged.Count} committed without the ACK reaching the sender), lost {lost.Count}, duplicated {duplicated.Count}, inverted {inverted}, repeats of an idempotency key recognised by the destination {_peer.Duplicates}, Sinew counts processed {sinewProcessed}, negative ACKs {negative.Count}");

        Assert.True(settled, $"the last run did not finish delivering: {_peer.ProcessedCount} processed of {acknowledged.Count} acknowledged");
        Assert.Empty(negative);
        Assert.True(acknowledged.Count > kills * 5, $"only {acknowledged.Count} messages were acknowledged in {kills} runs");
        Assert.Empty(lost);
        Assert.Empty(duplicated);
        Assert.Equal(0, inverted);
        Assert.Equal(processed.Count, sinewProcessed);
        Assert.Equal(processed.Count, httpCounts.GetProperty("total").GetInt64() + mllpCounts.GetProperty("total").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        await _peer.DisposeAsync();
        _folder.Dispose();
    }
}
