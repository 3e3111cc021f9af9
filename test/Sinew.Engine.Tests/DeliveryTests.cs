using System.Text;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;

namespace Sinew.Engine.Tests;

public sealed class DeliveryTests
{
    [Fact]
    public async Task Deliver_TransientFailureThenSuccess_IsRetriedAndDeliveredWithTheSameKey()
    {
        var calls = 0;
        var destination = new ScriptedDestination(_ => Interlocked.Increment(ref calls) < 3 ? DeliveryResult.Transient("HTTP 503") : DeliveryResult.Delivered());
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, new RetryOptions(5, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)))));

        var id = await fixture.SendAsync("c", "hello");

        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(id, "d") == DeliveryStatus.Delivered, "delivered");
        Assert.Equal(3, destination.Calls.Count);
        Assert.Single(destination.Calls.Select(c => c.IdempotencyKey).Distinct());
        var attempts = await fixture.Journal.GetAttemptsAsync(id, CancellationToken.None);
        Assert.Equal([true, true, false], attempts.Select(a => a.WillRetry));
    }

    [Fact]
    public async Task Deliver_PoisonMessage_GoesToExceptionQueueWhileOtherPartitionsFlow()
    {
        var destination = new ScriptedDestination(e => Encoding.UTF8.GetString(e.Payload.Span) == "poison" ? DeliveryResult.Transient("HTTP 500") : DeliveryResult.Delivered());
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, new RetryOptions(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)))));

        var poison = await fixture.SendAsync("c", "poison", "A");
        var behindPoison = await fixture.SendAsync("c", "a2", "A");
        var others = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            others.Add(await fixture.SendAsync("c", "b" + i, "B" + i));
        }

        await EngineFixture.WaitUntilAsync(async () => (await Task.WhenAll(others.Select(o => fixture.StatusAsync(o, "d")))).All(s => s == DeliveryStatus.Delivered), "other partitions delivered");
        Assert.Equal(DeliveryStatus.Pending, await fixture.StatusAsync(behindPoison, "d"));

        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(poison, "d") == DeliveryStatus.DeadLettered, "poison dead-lettered");
        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(behindPoison, "d") == DeliveryStatus.Delivered, "its partition moves on");
        var exception = Assert.Single(await fixture.Journal.GetExceptionsAsync("c", 10, CancellationToken.None));
        Assert.Contains("gave up after 3 attempts: HTTP 500", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_PermanentRefusal_DeadLettersAtOnce_ThenReprocessDelivers()
    {
        var destination = new ScriptedDestination(_ => DeliveryResult.Permanent("HTTP 400 Bad Request"));
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, null)));

        var id = await fixture.SendAsync("c", "m");
        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(id, "d") == DeliveryStatus.DeadLettered, "dead-lettered");
        Assert.Single(destination.Calls);

        destination.Answer = _ => DeliveryResult.Delivered();
        Assert.Equal(ReprocessResult.DeliveriesRequeued, await fixture.Journal.ReprocessAsync(id, CancellationToken.None));
        fixture.Engine.Wake("c");

        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(id, "d") == DeliveryStatus.Delivered, "delivered after reprocess");
    }

    [Fact]
    public async Task Deliver_RetryAfterLongerThanBackoff_IsHonoured()
    {
        var destination = new ScriptedDestination(_ => DeliveryResult.Transient("HTTP 429", TimeSpan.FromMinutes(2)));
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, null)));

        var before = DateTimeOffset.UtcNow;
        var id = await fixture.SendAsync("c", "m");
        await EngineFixture.WaitUntilAsync(async () => (await fixture.Journal.GetAttemptsAsync(id, CancellationToken.None)).Count == 1, "one attempt");

        var entry = (await fixture.Journal.GetOutboxEntriesAsync(id, CancellationToken.None)).Single();
        Assert.True(entry.NextAttemptAt >= before.AddMinutes(2).AddSeconds(-1), $"next attempt {entry.NextAttemptAt:O} is before Retry-After");
    }

    [Fact]
    public async Task Deliver_StrictOrder_FailingHeadHoldsBackEveryPartition()
    {
        var destination = new ScriptedDestination(e => Encoding.UTF8.GetString(e.Payload.Span) == "first" ? DeliveryResult.Transient("down") : DeliveryResult.Delivered());
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", order: ChannelOrder.Strict, destinations: ("d", destination, new RetryOptions(2, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)))));

        var first = await fixture.SendAsync("c", "first", "A");
        var second = await fixture.SendAsync("c", "second", "B");
        await EngineFixture.WaitUntilAsync(async () => (await fixture.Journal.GetAttemptsAsync(first, CancellationToken.None)).Count >= 1, "first tried");

        Assert.Equal(DeliveryStatus.Pending, await fixture.StatusAsync(second, "d"));
        await EngineFixture.WaitUntilAsync(async () => await fixture.StatusAsync(second, "d") == DeliveryStatus.Delivered, "second after first gave up");
        Assert.Equal(DeliveryStatus.DeadLettered, await fixture.StatusAsync(first, "d"));
    }

    [Fact]
    public async Task Deliver_SamePartition_ArrivesInOrder()
    {
        var destination = new ScriptedDestination(_ => DeliveryResult.Delivered());
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, null)));

        var ids = new List<long>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await fixture.SendAsync("c", $"m{i}", i % 2 == 0 ? "even" : "odd"));
        }
        await EngineFixture.WaitUntilAsync(() => Task.FromResult(destination.Calls.Count == 50), "all delivered");

        foreach (var partition in new[] { "even", "odd" })
        {
            var delivered = destination.Calls.Where(c => c.PartitionKey == partition).Select(c => c.MessageId).ToList();
            Assert.Equal(delivered.Order(), delivered);
        }
    }

    [Fact]
    public async Task Pipeline_StepThrows_MessageFailsWithTheStepNameAndTheChannelGoesOn()
    {
        var destination = new ScriptedDestination(_ => DeliveryResult.Delivered());
        var step = new LambdaStep(c => Encoding.UTF8.GetString(c.Body.Span) == "boom" ? throw new InvalidOperationException("no ERP product for supply code 12345") : StepResult.Continue);
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", [new NamedStep("map-supply", step)], destinations: ("d", destination, null)));

        var bad = await fixture.SendAsync("c", "boom");
        var good = await fixture.SendAsync("c", "fine");

        await EngineFixture.WaitUntilAsync(async () => (await fixture.Journal.GetMessageAsync(good, false, CancellationToken.None))!.Status == MessageStatus.Processed, "good processed");
        var failed = await fixture.Journal.GetMessageAsync(bad, false, CancellationToken.None);
        Assert.Equal(MessageStatus.Failed, failed!.Status);
        Assert.Equal("map-supply", failed.ErrorStep);
        Assert.Contains("no ERP product for supply code 12345", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_FilterAndRoute_SendOnlyWhereTheyShould()
    {
        var a = new ScriptedDestination(_ => DeliveryResult.Delivered());
        var b = new ScriptedDestination(_ => DeliveryResult.Delivered());
        var steps = new List<NamedStep>
        {
            new("skip-tests", new LambdaStep(c => Encoding.UTF8.GetString(c.Body.Span).Contains("test", StringComparison.Ordinal) ? StepResult.Filter("test message") : StepResult.Continue)),
            new("to-b", new LambdaStep(c => { c.Route = new HashSet<string> { "b" }; return StepResult.Continue; })),
        };
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", steps, destinations: [("a", a, null), ("b", b, null)]));

        var filtered = await fixture.SendAsync("c", "a test");
        var routed = await fixture.SendAsync("c", "real");

        await EngineFixture.WaitUntilAsync(() => Task.FromResult(b.Calls.Count == 1), "b delivered");
        Assert.Empty(a.Calls);
        Assert.Equal(MessageStatus.Filtered, (await fixture.Journal.GetMessageAsync(filtered, false, CancellationToken.None))!.Status);
        Assert.Single(await fixture.Journal.GetOutboxEntriesAsync(routed, CancellationToken.None));
    }

    [Fact]
    public async Task Pause_HoldsDeliveries_ResumeReleasesThem()
    {
        var destination = new ScriptedDestination(_ => DeliveryResult.Delivered());
        await using var fixture = await EngineFixture.StartAsync(EngineFixture.Channel("c", destinations: ("d", destination, null)));
        await fixture.Engine.FindChannel("c")!.SetPausedAsync(true, CancellationToken.None);

        var id = await fixture.SendAsync("c", "m");
        await Task.Delay(500);
        Assert.Empty(destination.Calls);
        Assert.Equal(MessageStatus.Received, (await fixture.Journal.GetMessageAsync(id, false, CancellationToken.None))!.Status);

        await fixture.Engine.FindChannel("c")!.SetPausedAsync(false, CancellationToken.None);
        await EngineFixture.WaitUntilAsync(() => Task.FromResult(destination.Calls.Count == 1), "delivered after resume");
    }

    [Theory]
    [InlineData(1, 100, 50, 100)]
    [InlineData(2, 100, 100, 200)]
    [InlineData(20, 100, 2500, 5000)]
    public void Backoff_Delay_DoublesWithJitterUpToTheCap(int attempt, int initialMs, int minMs, int maxMs)
    {
        var low = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromSeconds(5), 0);
        var high = Backoff.Delay(attempt, TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromSeconds(5), 1);
        Assert.Equal(minMs, low.TotalMilliseconds, 3);
        Assert.Equal(maxMs, high.TotalMilliseconds, 3);
    }
}
