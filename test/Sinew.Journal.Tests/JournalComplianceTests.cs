using System.Text;
using Sinew.Core.Journal;

namespace Sinew.Journal.Tests;

/// <summary>
/// What every journal backend must do. A backend's test class derives from this and says how to open one;
/// the same scenarios then prove SQLite today and PostgreSQL later.
/// </summary>
public abstract class JournalComplianceTests : IAsyncLifetime
{
    private IJournal? _journal;

    protected IJournal Journal => _journal!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the backend on fresh storage (or the same storage again when <paramref name="reopen"/>).</summary>
    protected abstract Task<IJournal> OpenAsync(bool reopen);

    public async ValueTask InitializeAsync() => _journal = await OpenAsync(reopen: false);

    public async ValueTask DisposeAsync()
    {
        if (_journal is not null)
        {
            await _journal.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    protected async Task ReopenAsync()
    {
        await _journal!.DisposeAsync();
        _journal = await OpenAsync(reopen: true);
    }

    private static InboundMessage Message(string body, string channel = "c1", string? dedupe = null, string? partition = null, string? control = null) =>
        new(channel, "test", "text/plain", Encoding.UTF8.GetBytes(body)) { DedupeKey = dedupe, PartitionKey = partition, ControlId = control };

    private async Task<long> AppendAndRouteAsync(string body, string partition, params string[] destinations)
    {
        var appended = await Journal.AppendAsync(Message(body), Ct);
        await Journal.RouteAsync([new RouteOutcome(appended.MessageId, MessageStatus.Processed)
        {
            Outbound = destinations.Select(d => new OutboundMessage(d, partition, "text/plain", Encoding.UTF8.GetBytes(body))).ToList(),
        }], Ct);
        return appended.MessageId;
    }

    [Fact]
    public async Task Append_NewMessage_StoresRawBytesExactly()
    {
        byte[] raw = [0x0b, 0x4d, 0x53, 0x48, 0x0d, 0x00, 0xff, 0xfe, 0x1c, 0x0d];
        var result = await Journal.AppendAsync(new InboundMessage("c1", "mllp 127.0.0.1", "application/hl7-v2", raw) { ControlId = "X1" }, Ct);

        Assert.False(result.IsDuplicate);
        var stored = await Journal.GetMessageAsync(result.MessageId, withBody: true, Ct);
        Assert.NotNull(stored);
        Assert.Equal(raw, stored.Body.ToArray());
        Assert.Equal(MessageStatus.Received, stored.Status);
        Assert.Equal("X1", stored.ControlId);
        Assert.Equal(raw.Length, stored.BodyLength);
    }

    [Fact]
    public async Task Append_SameDedupeKey_ReturnsFirstIdAndResponse_StoresNothingNew()
    {
        var first = await Journal.AppendAsync(Message("a", dedupe: "k1") with { Response = "ACK1"u8.ToArray() }, Ct);
        var second = await Journal.AppendAsync(Message("a again", dedupe: "k1") with { Response = "ACK2"u8.ToArray() }, Ct);
        var otherChannel = await Journal.AppendAsync(Message("a", channel: "c2", dedupe: "k1"), Ct);

        Assert.True(second.IsDuplicate);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal("ACK1"u8.ToArray(), second.Response.ToArray());
        Assert.False(otherChannel.IsDuplicate);
        var page = await Journal.SearchAsync(new MessageQuery { Channel = "c1" }, Ct);
        Assert.Single(page.Items);
    }

    [Fact]
    public async Task Append_SameDedupeKeyOutsideTheWindow_IsANewMessage()
    {
        var window = TimeSpan.FromHours(1);
        var first = await Journal.AppendAsync(Message("a", dedupe: "k1") with { ReceivedAt = DateTimeOffset.UtcNow.AddHours(-2), DedupeWindow = window }, Ct);
        var second = await Journal.AppendAsync(Message("a", dedupe: "k1") with { DedupeWindow = window }, Ct);
        var third = await Journal.AppendAsync(Message("a", dedupe: "k1") with { DedupeWindow = window }, Ct);

        Assert.False(second.IsDuplicate);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.True(third.IsDuplicate);
        Assert.Equal(second.MessageId, third.MessageId);
    }

    [Fact]
    public async Task Append_ManyConcurrentProducers_EveryMessageCommittedOnceWithDistinctIds()
    {
        var tasks = Enumerable.Range(0, 64).Select(p => Task.Run(async () =>
        {
            var ids = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                ids.Add((await Journal.AppendAsync(Message($"p{p}-{i}", dedupe: $"p{p}-{i}"), Ct)).MessageId);
            }
            return ids;
        }, Ct));
        var all = (await Task.WhenAll(tasks)).SelectMany(x => x).ToList();

        Assert.Equal(64 * 50, all.Distinct().Count());
        var counts = await Journal.GetChannelCountsAsync(Ct);
        Assert.Equal(64 * 50, counts.Single().Received);
    }

    [Fact]
    public async Task Reopen_AfterAppendReturned_MessageIsStillThere()
    {
        var appended = await Journal.AppendAsync(Message("durable"), Ct);
        await ReopenAsync();

        var stored = await Journal.GetMessageAsync(appended.MessageId, withBody: true, Ct);
        Assert.Equal("durable", Encoding.UTF8.GetString(stored!.Body.Span));
    }

    [Fact]
    public async Task Route_Processed_QueuesOneEntryPerDestinationWithDeterministicKeys()
    {
        var id = await AppendAndRouteAsync("m", "p1", "d1", "d2");

        var entries = await Journal.GetOutboxEntriesAsync(id, Ct);
        Assert.Equal(["d1", "d2"], entries.Select(e => e.Destination));
        Assert.All(entries, e => Assert.Equal(DeliveryStatus.Pending, e.Status));
        Assert.All(entries, e => Assert.Contains($"-{id}-{e.Destination}", e.IdempotencyKey, StringComparison.Ordinal));
        Assert.NotEqual(entries[0].IdempotencyKey, entries[1].IdempotencyKey);
        Assert.Equal(MessageStatus.Processed, (await Journal.GetMessageAsync(id, false, Ct))!.Status);
        Assert.Empty(await Journal.ReadReceivedAsync("c1", 0, 10, Ct));
    }

    [Fact]
    public async Task OutboxEntries_WithPayload_CarryWhatEachDestinationIsSent()
    {
        var id = await AppendAndRouteAsync("m", "p1", "d1");

        var without = await Journal.GetOutboxEntriesAsync(id, Ct);
        var with = await Journal.GetOutboxEntriesAsync(id, withPayload: true, Ct);

        Assert.True(without.Single().Payload.IsEmpty);
        Assert.False(with.Single().Payload.IsEmpty);
    }

    [Fact]
    public async Task Route_SameOutcomeTwice_QueuesOnlyOnce()
    {
        var id = (await Journal.AppendAsync(Message("m"), Ct)).MessageId;
        var outcome = new RouteOutcome(id, MessageStatus.Processed) { Outbound = [new OutboundMessage("d1", "p", "text/plain", "m"u8.ToArray())] };
        await Journal.RouteAsync([outcome], Ct);
        await Journal.RouteAsync([outcome], Ct);

        Assert.Single(await Journal.GetOutboxEntriesAsync(id, Ct));
    }

    [Fact]
    public async Task ReadDeliverable_PartitionOrder_GivesOnlyTheHeadOfEachPartition()
    {
        var a1 = await AppendAndRouteAsync("a1", "A", "d");
        await AppendAndRouteAsync("a2", "A", "d");
        var b1 = await AppendAndRouteAsync("b1", "B", "d");

        var heads = await Journal.ReadDeliverableAsync("c1", "d", DateTimeOffset.UtcNow, strictOrder: false, 10, Ct);
        Assert.Equal([a1, b1], heads.Select(e => e.MessageId));
    }

    [Fact]
    public async Task ReadDeliverable_FailingHeadRetriedLater_HoldsBackOnlyItsOwnPartition()
    {
        var a1 = await AppendAndRouteAsync("a1", "A", "d");
        var a2 = await AppendAndRouteAsync("a2", "A", "d");
        var b1 = await AppendAndRouteAsync("b1", "B", "d");
        var b2 = await AppendAndRouteAsync("b2", "B", "d");
        var now = DateTimeOffset.UtcNow;
        var a1Entry = (await Journal.GetOutboxEntriesAsync(a1, Ct)).Single();
        var b1Entry = (await Journal.GetOutboxEntriesAsync(b1, Ct)).Single();
        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = a1Entry.Id, Attempt = 1, At = now, Outcome = DeliveryStatus.Pending, WillRetry = true, NextAttemptAt = now.AddMinutes(5), Detail = "HTTP 503" }, Ct);
        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = b1Entry.Id, Attempt = 1, At = now, Outcome = DeliveryStatus.Delivered }, Ct);

        var heads = await Journal.ReadDeliverableAsync("c1", "d", now.AddSeconds(1), strictOrder: false, 10, Ct);
        Assert.Equal([b2], heads.Select(e => e.MessageId));
        var delivered = (await Journal.GetOutboxEntriesAsync(b2, Ct)).Single();
        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = delivered.Id, Attempt = 1, At = now, Outcome = DeliveryStatus.Delivered }, Ct);
        Assert.DoesNotContain(a2, heads.Select(e => e.MessageId));
        Assert.Equal(now.AddMinutes(5).ToUnixTimeMilliseconds(), (await Journal.NextDueAsync("c1", "d", strictOrder: false, Ct))!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task ReadDeliverable_StrictOrder_FailingHeadHoldsBackTheWholeQueue()
    {
        var a1 = await AppendAndRouteAsync("a1", "A", "d");
        await AppendAndRouteAsync("b1", "B", "d");
        var now = DateTimeOffset.UtcNow;
        var entry = (await Journal.GetOutboxEntriesAsync(a1, Ct)).Single();
        Assert.Equal([a1], (await Journal.ReadDeliverableAsync("c1", "d", now, strictOrder: true, 10, Ct)).Select(e => e.MessageId));

        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = entry.Id, Attempt = 1, At = now, Outcome = DeliveryStatus.Pending, WillRetry = true, NextAttemptAt = now.AddMinutes(1) }, Ct);

        Assert.Empty(await Journal.ReadDeliverableAsync("c1", "d", now.AddSeconds(1), strictOrder: true, 10, Ct));
    }

    [Fact]
    public async Task DeadLetter_ThenReprocess_RequeuesWithTheSameIdempotencyKey()
    {
        var id = await AppendAndRouteAsync("m", "p", "d");
        var entry = (await Journal.GetOutboxEntriesAsync(id, Ct)).Single();
        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = entry.Id, Attempt = 3, At = DateTimeOffset.UtcNow, Outcome = DeliveryStatus.DeadLettered, Detail = "refused: HTTP 400" }, Ct);

        var exceptions = await Journal.GetExceptionsAsync("c1", 10, Ct);
        Assert.Equal("refused: HTTP 400", Assert.Single(exceptions).Reason);
        Assert.Equal(1, (await Journal.GetQueuesAsync(Ct)).Single().DeadLetters);

        Assert.Equal(ReprocessResult.DeliveriesRequeued, await Journal.ReprocessAsync(id, Ct));
        var requeued = (await Journal.GetOutboxEntriesAsync(id, Ct)).Single();
        Assert.Equal(DeliveryStatus.Pending, requeued.Status);
        Assert.Equal(entry.IdempotencyKey, requeued.IdempotencyKey);
        Assert.Empty(await Journal.GetExceptionsAsync("c1", 10, Ct));
        Assert.Equal("refused: HTTP 400", Assert.Single(await Journal.GetAttemptsAsync(id, Ct)).Detail);
    }

    [Fact]
    public async Task Reprocess_FailedStep_RerunsPipelineWithNewGenerationAndNewKeys()
    {
        var id = (await Journal.AppendAsync(Message("m"), Ct)).MessageId;
        await Journal.RouteAsync([RouteOutcome.Failed(id, 0, "map", "no ERP product for supply code 12345")], Ct);
        Assert.Equal("map", (await Journal.GetExceptionsAsync(null, 10, Ct)).Single().Step);

        Assert.Equal(ReprocessResult.PipelineRequeued, await Journal.ReprocessAsync(id, Ct));
        var again = Assert.Single(await Journal.ReadReceivedAsync("c1", 0, 10, Ct));
        Assert.Equal(1, again.Generation);

        await Journal.RouteAsync([RouteOutcome.Failed(id, 0, "map", "stale run")], Ct);
        Assert.Equal(MessageStatus.Received, (await Journal.GetMessageAsync(id, false, Ct))!.Status);

        await Journal.RouteAsync([new RouteOutcome(id, MessageStatus.Processed) { Generation = 1, Outbound = [new OutboundMessage("d", "p", "text/plain", "m"u8.ToArray())] }], Ct);
        Assert.EndsWith($"-{id}r1-d", (await Journal.GetOutboxEntriesAsync(id, Ct)).Single().IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(ReprocessResult.AlreadyPending, await Journal.ReprocessAsync(id, Ct));
        Assert.Equal(ReprocessResult.NotFound, await Journal.ReprocessAsync(999_999, Ct));
    }

    [Fact]
    public async Task Discard_DeadLetteredDelivery_LeavesTheExceptionQueue()
    {
        var id = await AppendAndRouteAsync("m", "p", "d");
        var entry = (await Journal.GetOutboxEntriesAsync(id, Ct)).Single();
        Assert.False(await Journal.DiscardAsync(entry.Id, "not dead yet", Ct));
        await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = entry.Id, Attempt = 1, At = DateTimeOffset.UtcNow, Outcome = DeliveryStatus.DeadLettered, Detail = "refused" }, Ct);

        Assert.True(await Journal.DiscardAsync(entry.Id, "duplicate order, sent by phone", Ct));
        Assert.Empty(await Journal.GetExceptionsAsync(null, 10, Ct));
        Assert.Equal(DeliveryStatus.Discarded, (await Journal.GetOutboxEntriesAsync(id, Ct)).Single().Status);
    }

    [Fact]
    public async Task DiscardMessage_FailedStep_LeavesTheExceptionQueueAndIsPrunable()
    {
        var id = (await Journal.AppendAsync(Message("m"), Ct)).MessageId;
        await Journal.RouteAsync([RouteOutcome.Failed(id, 0, "map", "bad")], Ct);
        var pending = (await Journal.AppendAsync(Message("p"), Ct)).MessageId;

        Assert.True(await Journal.DiscardMessageAsync(id, "test message from go-live", Ct));
        Assert.False(await Journal.DiscardMessageAsync(pending, "still in flight", Ct));

        Assert.Empty(await Journal.GetExceptionsAsync(null, 10, Ct));
        Assert.Equal(MessageStatus.Discarded, (await Journal.GetMessageAsync(id, false, Ct))!.Status);
        Assert.Equal(1, (await Journal.GetChannelCountsAsync(Ct)).Single().Discarded);
        Assert.Equal(1, await Journal.PruneAsync("c1", new RetentionPolicy(null, 0), DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task Search_ByStatusControlIdAndCursor_PagesNewestFirst()
    {
        for (var i = 0; i < 25; i++)
        {
            await Journal.AppendAsync(Message($"m{i}", control: $"MSG{i:000}"), Ct);
        }
        await Journal.AppendAsync(Message("x", channel: "other", control: "MSG999"), Ct);

        var first = await Journal.SearchAsync(new MessageQuery { Channel = "c1", Limit = 10 }, Ct);
        var second = await Journal.SearchAsync(new MessageQuery { Channel = "c1", Limit = 10, Cursor = first.NextCursor }, Ct);
        var third = await Journal.SearchAsync(new MessageQuery { Channel = "c1", Limit = 10, Cursor = second.NextCursor }, Ct);

        Assert.Equal(10, first.Items.Count);
        Assert.Equal(5, third.Items.Count);
        Assert.Null(third.NextCursor);
        var ids = first.Items.Concat(second.Items).Concat(third.Items).Select(m => m.Id).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(25, ids.Distinct().Count());
        Assert.Equal(["MSG012"], (await Journal.SearchAsync(new MessageQuery { ControlId = "*G012" }, Ct)).Items.Select(m => m.ControlId));
        Assert.Equal(["MSG012"], (await Journal.SearchAsync(new MessageQuery { ControlId = "MSG012" }, Ct)).Items.Select(m => m.ControlId));
        Assert.Equal(10, (await Journal.SearchAsync(new MessageQuery { ControlId = "MSG01", Limit = 50 }, Ct)).Items.Count);
        Assert.Empty((await Journal.SearchAsync(new MessageQuery { ControlId = "G012" }, Ct)).Items);
        Assert.Empty((await Journal.SearchAsync(new MessageQuery { Status = MessageStatus.Failed }, Ct)).Items);
    }

    [Theory]
    [InlineData("' OR 1=1 --")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("\"; DROP TABLE inbox; --")]
    public async Task Search_SqlMetacharactersInControlId_AreMatchedLiterally(string text)
    {
        await Journal.AppendAsync(Message("plain", control: "ABC123"), Ct);

        var page = await Journal.SearchAsync(new MessageQuery { ControlId = text }, Ct);

        Assert.Empty(page.Items);
        Assert.Single((await Journal.SearchAsync(new MessageQuery(), Ct)).Items);
    }

    [Fact]
    public async Task Search_ByTimeRange_ReturnsOnlyMessagesInside()
    {
        var old = DateTimeOffset.UtcNow.AddDays(-2);
        await Journal.AppendAsync(Message("old") with { ReceivedAt = old }, Ct);
        await Journal.AppendAsync(Message("new"), Ct);

        var page = await Journal.SearchAsync(new MessageQuery { From = DateTimeOffset.UtcNow.AddDays(-1) }, Ct);

        Assert.Single(page.Items);
    }

    [Fact]
    public async Task Prune_ByCountAndAge_RemovesOnlyFinishedMessages()
    {
        var delivered = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var id = await AppendAndRouteAsync($"m{i}", "p" + i, "d");
            var entry = (await Journal.GetOutboxEntriesAsync(id, Ct)).Single();
            await Journal.RecordAttemptAsync(new DeliveryAttempt { OutboxId = entry.Id, Attempt = 1, At = DateTimeOffset.UtcNow, Outcome = DeliveryStatus.Delivered }, Ct);
            delivered.Add(id);
        }
        var pending = await AppendAndRouteAsync("pending", "q", "d");
        var failed = (await Journal.AppendAsync(Message("failed"), Ct)).MessageId;
        await Journal.RouteAsync([RouteOutcome.Failed(failed, 0, "s", "bad")], Ct);
        var waiting = (await Journal.AppendAsync(Message("waiting"), Ct)).MessageId;

        Assert.Equal((1, 5), (await Journal.GetQueuesAsync(Ct)).Select(q => (q.Depth, q.Delivered)).Single());

        var removed = await Journal.PruneAsync("c1", new RetentionPolicy(null, 2), DateTimeOffset.UtcNow, Ct);

        Assert.Equal(5, removed);
        Assert.Equal(5, (await Journal.GetQueuesAsync(Ct)).Single().Delivered); // delivered counts are all-time, kept across pruning
        foreach (var id in delivered)
        {
            Assert.Null(await Journal.GetMessageAsync(id, false, Ct));
            Assert.Empty(await Journal.GetAttemptsAsync(id, Ct));
        }
        Assert.NotNull(await Journal.GetMessageAsync(pending, false, Ct));
        Assert.NotNull(await Journal.GetMessageAsync(failed, false, Ct));
        Assert.NotNull(await Journal.GetMessageAsync(waiting, false, Ct));

        var oldOne = await Journal.AppendAsync(Message("old filtered") with { ReceivedAt = DateTimeOffset.UtcNow.AddDays(-40) }, Ct);
        await Journal.RouteAsync([new RouteOutcome(oldOne.MessageId, MessageStatus.Filtered)], Ct);
        Assert.Equal(1, await Journal.PruneAsync("c1", new RetentionPolicy(TimeSpan.FromDays(30), null), DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task Pause_IsKeptAcrossReopen()
    {
        await Journal.SetPausedAsync("c1", true, Ct);
        await ReopenAsync();

        Assert.True(await Journal.IsPausedAsync("c1", Ct));
        Assert.False(await Journal.IsPausedAsync("c2", Ct));
    }
}
