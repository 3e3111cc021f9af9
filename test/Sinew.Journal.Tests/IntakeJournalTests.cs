using System.Text;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite;

namespace Sinew.Journal.Tests;

/// <summary>
/// The compliance suite on the SQLite journal as <c>sinew run</c> opens it (acknowledged from the intake log, moved into
/// the inbox afterwards), and what the log adds: recovery after a kill, torn and stale records, dedupe of messages still
/// on their way in, one owner.
/// </summary>
public sealed class IntakeJournalTests : JournalComplianceTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sinew-intake-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_folder, "journal.db");

    private string LogFolder => DbPath + "-intake";

    protected override Task<IJournal> OpenAsync(bool reopen) => Task.FromResult<IJournal>(Open());

    /// <summary>A journal with intake on; a long move delay keeps acknowledged messages in the log until a reader asks.</summary>
    private SqliteJournal Open(bool intake = true, TimeSpan? moveDelay = null, long segmentSize = 8 * 1024 * 1024, long dedupeFilterMinKeys = 1 << 20) =>
        SqliteJournal.Open(new SqliteJournalOptions(DbPath)
        {
            Intake = intake,
            IntakeMoveDelay = moveDelay ?? TimeSpan.FromMilliseconds(2),
            IntakeSegmentSize = segmentSize,
            DedupeFilterMinKeys = dedupeFilterMinKeys,
        });

    private static InboundMessage Message(int i, string? dedupe = null) =>
        new("c1", "mllp 127.0.0.1", "application/hl7-v2", Encoding.ASCII.GetBytes($"MSH|^~\\&|A|B|C|D|||ADT^A01|M{i}|P|2.5\r"))
        {
            ControlId = $"M{i}",
            DedupeKey = dedupe ?? $"k{i}",
            Response = Encoding.ASCII.GetBytes($"ACK {i}"),
        };

    /// <summary>Acknowledges <paramref name="count"/> messages on a journal whose mover never runs, then abandons it as a kill would.</summary>
    private async Task<List<AppendResult>> AcknowledgeThenKillAsync(int count)
    {
        await Journal.DisposeAsync();
        var dying = Open(moveDelay: TimeSpan.FromHours(1));
        var results = new List<AppendResult>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await dying.AppendAsync(Message(i), Ct));
        }
        Assert.Equal(count, dying.IntakeBacklog);
        dying.AbandonIntakeForTests();
        await dying.DisposeAsync();
        return results;
    }

    /// <summary>Rows in the inbox table once the journal has moved everything it acknowledged (any read waits for that).</summary>
    private async Task<long> CountAsync(SqliteJournal journal)
    {
        await journal.IsPausedAsync("c1", Ct);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM inbox";
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task Append_Quiet_IsDurableWhenItReturnsWithoutAHandOff()
    {
        await Journal.AppendAsync(Message(0), Ct);

        var append = Journal.AppendAsync(Message(1), Ct);

        // The caller flushed its own record: done before AppendAsync returned.
        Assert.True(append.IsCompletedSuccessfully);
        var stored = await Journal.GetMessageAsync((await append).MessageId, withBody: true, Ct);
        Assert.Equal("M1", stored!.ControlId);
    }

    [Fact]
    public async Task Kill_AcknowledgedButNotMoved_IsInTheInboxAfterRestartWithItsIdAndAnswer()
    {
        var acknowledged = await AcknowledgeThenKillAsync(50);

        await using var restarted = Open();
        foreach (var (ack, i) in acknowledged.Select((a, i) => (a, i)))
        {
            var stored = await restarted.GetMessageAsync(ack.MessageId, withBody: true, Ct);
            Assert.NotNull(stored);
            Assert.Equal(Message(i).Body.ToArray(), stored.Body.ToArray());
        }
        var repeat = await restarted.AppendAsync(Message(7), Ct);
        Assert.True(repeat.IsDuplicate);
        Assert.Equal(acknowledged[7].MessageId, repeat.MessageId);
        Assert.Equal("ACK 7", Encoding.ASCII.GetString(repeat.Response.Span));
        var next = await restarted.AppendAsync(Message(50), Ct);
        Assert.True(next.MessageId > acknowledged[^1].MessageId);
    }

    [Fact]
    public async Task Kill_ThenAToolOpensTheJournal_TheToolMovesWhatTheLogHeld()
    {
        var acknowledged = await AcknowledgeThenKillAsync(10);

        await using var tool = Open(intake: false);

        Assert.Equal(10, await CountAsync(tool));
        Assert.NotNull(await tool.GetMessageAsync(acknowledged[^1].MessageId, withBody: false, Ct));
    }

    [Fact]
    public async Task Kill_LastRecordTorn_TheOthersAreRecoveredAndTheTornOneIsNot()
    {
        var acknowledged = await AcknowledgeThenKillAsync(5);
        // A crash in the middle of writing the last record: its checksum no longer matches.
        var segment = Directory.GetFiles(LogFolder, "*.seg").Select(f => (File: f, Bytes: File.ReadAllBytes(f))).Single(s => s.Bytes.Any(b => b != 0));
        var end = Array.FindLastIndex(segment.Bytes, b => b != 0);
        segment.Bytes[end - 3] ^= 0x5a;
        File.WriteAllBytes(segment.File, segment.Bytes);

        await using var restarted = Open();

        Assert.Equal(4, await CountAsync(restarted));
        Assert.Null(await restarted.GetMessageAsync(acknowledged[^1].MessageId, withBody: false, Ct));
    }

    [Fact]
    public async Task Recovery_TheSameRecordsFoundTwice_AreMovedOnce()
    {
        await AcknowledgeThenKillAsync(5);
        // The same records under a second file name (a reused segment, or a copy a restore left behind).
        var segment = Directory.GetFiles(LogFolder, "*.seg").Single(f => File.ReadAllBytes(f).Any(b => b != 0));
        File.Copy(segment, Path.Combine(LogFolder, "000000000900.seg"));

        await using var restarted = Open();

        Assert.Equal(5, await CountAsync(restarted));
    }

    [Fact]
    public async Task Dedupe_RepeatsArrivingWhileTheFirstIsInFlight_AllGetTheFirstsIdAndAnswer()
    {
        var sends = Enumerable.Range(0, 20).Select(_ => Task.Run(() => Journal.AppendAsync(Message(1, dedupe: "same"), Ct).AsTask(), Ct)).ToList();
        var results = await Task.WhenAll(sends);

        Assert.Single(results, r => !r.IsDuplicate);
        Assert.Single(results.Select(r => r.MessageId).Distinct());
        Assert.All(results.Where(r => r.IsDuplicate), r => Assert.Equal("ACK 1", Encoding.ASCII.GetString(r.Response.Span)));
        Assert.Equal(1, await CountAsync((SqliteJournal)Journal));
    }

    [Fact]
    public async Task Dedupe_RepeatOutsideTheWindowWhileTheFirstIsStillInTheLog_IsANewMessage()
    {
        await Journal.DisposeAsync();
        await using var journal = Open(moveDelay: TimeSpan.FromHours(1));
        var first = await journal.AppendAsync(Message(1) with { ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-10), DedupeWindow = TimeSpan.FromMinutes(1) }, Ct);

        var second = await journal.AppendAsync(Message(1) with { DedupeWindow = TimeSpan.FromMinutes(1) }, Ct);
        var third = await journal.AppendAsync(Message(1) with { DedupeWindow = TimeSpan.FromMinutes(1) }, Ct);

        Assert.False(second.IsDuplicate);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.True(third.IsDuplicate);
        Assert.Equal(second.MessageId, third.MessageId);
        Assert.Equal(2, await CountAsync(journal));
    }

    [Fact]
    public async Task MovesFail_NewMessagesAreRefused_AcknowledgedOnesStayReadable_AndIntakeResumesWhenMovesSucceed()
    {
        var journal = (SqliteJournal)Journal;
        var before = await journal.AppendAsync(Message(1), Ct);
        await journal.GetMessageAsync(before.MessageId, withBody: false, Ct);
        journal.InjectedMoveFailureForTests = new IOException("No space left on device (test)");

        var acknowledged = await journal.AppendAsync(Message(2), Ct); // durable in the log; its move fails
        await EventuallyAsync(() => journal.IntakeMoveFailure is not null);

        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.AppendAsync(Message(3), Ct).AsTask());
        Assert.Contains("No space left on device", refused.Message);
        var stored = await journal.GetMessageAsync(acknowledged.MessageId, withBody: true, Ct);
        Assert.Equal(Message(2).Body.ToArray(), stored!.Body.ToArray());

        journal.InjectedMoveFailureForTests = null;
        await EventuallyAsync(() => journal.IntakeMoveFailure is null && journal.IntakeBacklog == 0);
        var after = await journal.AppendAsync(Message(3), Ct);
        Assert.False(after.IsDuplicate);
        Assert.Equal(3, await CountAsync(journal));
    }

    [Fact]
    public async Task MovesFail_SearchStillFindsAcknowledgedMessages_WithTheTablesFiltersAndPaging()
    {
        var journal = (SqliteJournal)Journal;
        var before = await journal.AppendAsync(Message(1), Ct);
        await journal.GetMessageAsync(before.MessageId, withBody: false, Ct); // in the table
        journal.InjectedMoveFailureForTests = new IOException("No space left on device (test)");
        var acknowledged = await journal.AppendAsync(Message(22), Ct); // durable in the log; its move fails
        await EventuallyAsync(() => journal.IntakeMoveFailure is not null);

        var all = await journal.SearchAsync(new MessageQuery { Channel = "c1" }, Ct);
        Assert.Equal([acknowledged.MessageId, before.MessageId], all.Items.Select(m => m.Id));
        Assert.Equal("M22", all.Items[0].ControlId);
        Assert.Equal(MessageStatus.Received, all.Items[0].Status);

        var first = await journal.SearchAsync(new MessageQuery { Limit = 1 }, Ct);
        Assert.Equal([acknowledged.MessageId], first.Items.Select(m => m.Id));
        var second = await journal.SearchAsync(new MessageQuery { Limit = 1, Cursor = first.NextCursor }, Ct);
        Assert.Equal([before.MessageId], second.Items.Select(m => m.Id));
        Assert.Null(second.NextCursor);

        Assert.Equal([acknowledged.MessageId], (await journal.SearchAsync(new MessageQuery { ControlId = "M2" }, Ct)).Items.Select(m => m.Id));
        Assert.Equal([acknowledged.MessageId], (await journal.SearchAsync(new MessageQuery { ControlId = "*m22" }, Ct)).Items.Select(m => m.Id));
        Assert.Empty((await journal.SearchAsync(new MessageQuery { ControlId = "m22" }, Ct)).Items); // a prefix is exact, as in the table
        Assert.Empty((await journal.SearchAsync(new MessageQuery { Channel = "c2" }, Ct)).Items);
        Assert.Empty((await journal.SearchAsync(new MessageQuery { Status = MessageStatus.Failed }, Ct)).Items);
        Assert.Empty((await journal.SearchAsync(new MessageQuery { To = DateTimeOffset.UtcNow.AddHours(-1) }, Ct)).Items);

        journal.InjectedMoveFailureForTests = null;
        await EventuallyAsync(() => journal.IntakeMoveFailure is null && journal.IntakeBacklog == 0);
        var moved = await journal.SearchAsync(new MessageQuery { Channel = "c1" }, Ct);
        Assert.Equal([acknowledged.MessageId, before.MessageId], moved.Items.Select(m => m.Id)); // once each
    }

    [Fact]
    public async Task DedupeFilter_NewKeysSkipTheTableRead_RepeatsAreStillCaught_AcrossARestart()
    {
        var journal = (SqliteJournal)Journal;
        await EventuallyAsync(() => journal.DedupeFilterForTests!.IsReady);
        var readsBefore = journal.DedupeReadsForTests;
        var first = new List<AppendResult>();
        for (var i = 0; i < 200; i++)
        {
            first.Add(await journal.AppendAsync(Message(i), Ct));
        }
        Assert.Equal(readsBefore, journal.DedupeReadsForTests); // every key was new, and the filter knew it

        // Once moved, a repeat is found in the table: the filter says "maybe" for every key it was given.
        await CountAsync(journal);
        for (var i = 0; i < 200; i += 20)
        {
            var repeat = await journal.AppendAsync(Message(i), Ct);
            Assert.True(repeat.IsDuplicate);
            Assert.Equal(first[i].MessageId, repeat.MessageId);
        }
        Assert.Equal(readsBefore + 10, journal.DedupeReadsForTests);

        await ReopenAsync();
        var reopened = (SqliteJournal)Journal;
        await EventuallyAsync(() => reopened.DedupeFilterForTests!.IsReady);
        Assert.Equal(200, reopened.DedupeFilterForTests!.Count); // loaded from the table
        var afterRestart = await reopened.AppendAsync(Message(199), Ct);
        Assert.True(afterRestart.IsDuplicate);
        Assert.Equal(first[199].MessageId, afterRestart.MessageId);
    }

    [Fact]
    public async Task DedupeFilter_GrowsPastItsSize_WhileMessagesArrive_AndNoRepeatGetsThrough()
    {
        await Journal.DisposeAsync();
        await using var journal = Open(dedupeFilterMinKeys: 8);
        var first = new AppendResult[300];
        // Concurrent senders: keys are moved, the filter fills, rebuilds from the table and grows, while appends go on.
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            first[i] = await journal.AppendAsync(Message(i), ct));
        Assert.All(first, r => Assert.False(r.IsDuplicate));

        await CountAsync(journal);
        await EventuallyAsync(() => journal.DedupeFilterForTests!.IsReady);
        Assert.True(journal.DedupeFilterForTests!.Count >= 300);
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            var repeat = await journal.AppendAsync(Message(i), ct);
            Assert.True(repeat.IsDuplicate, $"message {i} was taken twice");
            Assert.Equal(first[i].MessageId, repeat.MessageId);
        });
        Assert.Equal(300, await CountAsync(journal));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50, Ct);
        }
        Assert.True(condition());
    }

    [Fact]
    public async Task SecondEngine_OnTheSameJournal_IsRefusedButAToolMayRead()
    {
        var appended = await Journal.AppendAsync(Message(1), Ct);
        await Journal.GetMessageAsync(appended.MessageId, withBody: false, Ct); // a read on the engine: moved by now

        var refused = Assert.Throws<JournalUnavailableException>(() => Open());
        Assert.Contains("in use by another Sinew process", refused.Message);
        await using var tool = Open(intake: false);
        Assert.NotNull(await tool.GetMessageAsync(appended.MessageId, withBody: false, Ct));
    }

    [Fact]
    public async Task ManyMessages_SmallSegments_AreAllKeptAndSpentSegmentsAreReusedOrDeleted()
    {
        await Journal.DisposeAsync();
        await using (var journal = Open(segmentSize: 64 * 1024))
        {
            var big = new InboundMessage("c1", "t", "application/octet-stream", new byte[200 * 1024]) { ControlId = "big" };
            await journal.AppendAsync(big, Ct); // larger than a segment: that segment grows to hold it
            var sends = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
            {
                for (var i = 0; i < 250; i++)
                {
                    await journal.AppendAsync(Message(t * 1000 + i), Ct);
                }
            }, Ct));
            await Task.WhenAll(sends);

            Assert.Equal(2001, await CountAsync(journal));
            Assert.Equal(200 * 1024, (await journal.GetMessageAsync(1, withBody: true, Ct))!.Body.Length);
        }
        // About 400 KB of records went through 64 KB segments: the folder holds the active and next segments and at most
        // two kept for reuse, not one file per 64 KB written.
        Assert.InRange(Directory.GetFiles(LogFolder, "*.seg").Length, 1, 5);
        await using var reopened = Open();
        Assert.Equal(2001, await CountAsync(reopened));
    }
}
