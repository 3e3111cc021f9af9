using Sinew.Reliability.Tests.Peers;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.FaultInjection;

/// <summary>
/// What Sinew does when its HTTP peer answers badly: retries with backoff, honours Retry-After, opens and closes its
/// circuit breaker, and sends a poison message to the exception queue without holding back other partitions.
/// </summary>
public sealed class HttpDestinationFaultTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private RecordingHttpPeer _peer = null!;

    public async ValueTask InitializeAsync() => _peer = await RecordingHttpPeer.StartAsync();

    private Task<SinewProcess> StartAsync(string channel)
    {
        _folder.Write("config/channels/faults.yaml", channel);
        return SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
    }

    [Fact]
    public async Task Peer500_RetriedWithGrowingBackoff_ThenDeliveredOnce()
    {
        await using var sinew = await StartAsync(Channels.HttpToHttp("faults", _peer.Port, retry: "{ maxAttempts: 10, initialDelay: 200ms, maxDelay: 5s }"));
        var failures = 0;
        _peer.Answer = (_, _) => Interlocked.Increment(ref failures) <= 4 ? new PeerAnswer(500) : PeerAnswer.Ok;
        var id = await sinew.PostAsync("faults", "m1", "k1", "p1");

        Assert.True(await Admin.EventuallyAsync(async () => (await sinew.DeliveryAsync(id)).Status == "delivered", TimeSpan.FromSeconds(30)));
        var (_, attempts) = await sinew.DeliveryAsync(id);
        Assert.Equal(5, attempts.Count);
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At).ToList();
        Figures.Report("backoff", "gaps between attempts after HTTP 500 (initialDelay 200ms): " + string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:0} ms")));
        // Backoff with jitter: attempt n waits between half and all of 200 ms × 2^(n-1).
        for (var n = 0; n < gaps.Count; n++)
        {
            var full = 200 * Math.Pow(2, n);
            Assert.True(gaps[n].TotalMilliseconds >= full / 2 - 20, $"gap {n + 1} was {gaps[n].TotalMilliseconds:0} ms, less than half of {full} ms");
        }
        Assert.True(gaps[3] > gaps[0], "the backoff grows");
        Assert.Equal(1, _peer.ProcessedCount);
    }

    [Fact]
    public async Task Peer429WithRetryAfter_NextAttemptWaitsAtLeastRetryAfter()
    {
        await using var sinew = await StartAsync(Channels.HttpToHttp("faults", _peer.Port, retry: "{ maxAttempts: 10, initialDelay: 50ms, maxDelay: 100ms }"));
        var calls = 0;
        _peer.Answer = (_, _) => Interlocked.Increment(ref calls) == 1 ? new PeerAnswer(429, RetryAfter: TimeSpan.FromSeconds(2)) : PeerAnswer.Ok;
        var id = await sinew.PostAsync("faults", "m1", "k1", "p1");

        Assert.True(await Admin.EventuallyAsync(async () => (await sinew.DeliveryAsync(id)).Status == "delivered", TimeSpan.FromSeconds(30)));
        var requests = _peer.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        var gap = requests[1].At - requests[0].At;
        Figures.Report("retry-after", $"429 with Retry-After: 2 → next attempt after {gap.TotalMilliseconds:0} ms (backoff alone would be ≤ 100 ms)");
        Assert.True(gap >= TimeSpan.FromSeconds(1.9), $"the second try came {gap.TotalMilliseconds:0} ms after a 429 asking for 2 s");
    }

    [Fact]
    public async Task PeerKeepsFailing_CircuitOpens_AndClosesAfterRecovery_EveryMessageDeliveredOnce()
    {
        await using var sinew = await StartAsync(Channels.HttpToHttp(
            "faults", _peer.Port,
            retry: "{ maxAttempts: 1000, initialDelay: 100ms, maxDelay: 500ms }",
            breaker: "{ failureRatio: 0.5, minimumThroughput: 4, samplingDuration: 5s, breakDuration: 1s }"));
        _peer.Answer = (_, _) => new PeerAnswer(503);
        for (var i = 0; i < 10; i++)
        {
            await sinew.PostAsync("faults", $"m{i}", $"k{i}", $"p{i}");
        }

        Assert.True(await Admin.EventuallyAsync(async () => await sinew.CircuitAsync("faults", "peer") == "open", TimeSpan.FromSeconds(20)), "the circuit never opened");
        var whileOpen = _peer.Requests.Count;
        _peer.Answer = (_, _) => PeerAnswer.Ok;
        Assert.True(await Admin.EventuallyAsync(() => _peer.ProcessedCount == 10, TimeSpan.FromSeconds(30)), $"only {_peer.ProcessedCount} of 10 delivered after recovery");
        Assert.True(await Admin.EventuallyAsync(async () => await sinew.CircuitAsync("faults", "peer") == "closed", TimeSpan.FromSeconds(20)), "the circuit never closed");
        Figures.Report("circuit", $"10 messages, peer answering 503: circuit opened after {whileOpen} requests; after recovery it closed and all 10 were delivered, {_peer.Duplicates} duplicates");
        Assert.Equal(0, _peer.Duplicates);
    }

    [Fact]
    public async Task PoisonMessage_GoesToExceptionQueueAfterItsRetries_WhileOtherPartitionsKeepFlowing()
    {
        await using var sinew = await StartAsync(Channels.HttpToHttp("faults", _peer.Port, retry: "{ maxAttempts: 5, initialDelay: 500ms, maxDelay: 1s }"));
        _peer.Answer = (_, body) => body == "poison" ? new PeerAnswer(500) : PeerAnswer.Ok;
        var poison = await sinew.PostAsync("faults", "poison", "poison", "sick");
        var after = await sinew.PostAsync("faults", "behind-poison", "behind", "sick");
        var others = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            others.Add(await sinew.PostAsync("faults", $"other-{i}", $"o{i}", $"healthy-{i % 4}"));
            await Task.Delay(50);
        }

        Assert.True(await Admin.EventuallyAsync(async () => (await sinew.DeliveryAsync(poison)).Status == "deadlettered", TimeSpan.FromSeconds(30)), "the poison message never reached the exception queue");
        var (_, poisonAttempts) = await sinew.DeliveryAsync(poison);
        Assert.Equal(5, poisonAttempts.Count);
        var deadLetteredAt = poisonAttempts[^1].At;

        // Other partitions were delivered while the poison message was still being retried.
        var otherDelivered = new List<DateTimeOffset>();
        foreach (var id in others)
        {
            var (status, attempts) = await sinew.DeliveryAsync(id);
            Assert.Equal("delivered", status);
            otherDelivered.Add(attempts[^1].At);
        }
        Assert.All(otherDelivered, at => Assert.True(at < deadLetteredAt, "a message of another partition waited for the poison message"));

        // Its own partition waited, then went on once the poison message was set aside.
        Assert.True(await Admin.EventuallyAsync(async () => (await sinew.DeliveryAsync(after)).Status == "delivered", TimeSpan.FromSeconds(10)));
        Assert.True((await sinew.DeliveryAsync(after)).Attempts[0].At >= deadLetteredAt, "a message behind the poison one in its partition overtook it");

        var exceptions = await sinew.GetJsonAsync("api/v1/exceptions?channel=faults");
        Assert.Single(exceptions.EnumerateArray());
        Assert.Equal(poison, exceptions[0].GetProperty("messageId").GetInt64());
        Figures.Report("poison", $"poison message dead-lettered after {poisonAttempts.Count} attempts at {deadLetteredAt:HH:mm:ss.fff}; 20 messages of 4 other partitions all delivered before it (last at {otherDelivered.Max():HH:mm:ss.fff}); the message behind it in its own partition delivered after");
    }

    public async ValueTask DisposeAsync()
    {
        await _peer.DisposeAsync();
        _folder.Dispose();
    }
}
