using Sinew.Core.Journal;
using Sinew.Journal.Sqlite;

namespace Sinew.Journal.Tests;

/// <summary>The compliance suite on the embedded SQLite journal.</summary>
public sealed class SqliteJournalTests : JournalComplianceTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sinew-journal-" + Guid.NewGuid().ToString("N"));

    protected override Task<IJournal> OpenAsync(bool reopen) =>
        Task.FromResult<IJournal>(SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(_folder, "journal.db"))));

    [Fact]
    public async Task Open_NewFile_UsesWalAndFullSynchronous()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "journal.db")}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Append_OneAtATime_RunsOnTheCallersThreadAndIsDurableWhenItReturns()
    {
        await Journal.AppendAsync(new InboundMessage("c1", "t", "text/plain", "first"u8.ToArray()), Ct);

        var append = Journal.AppendAsync(new InboundMessage("c1", "t", "text/plain", "second"u8.ToArray()), Ct);

        // Quiet journal: the write ran and committed before AppendAsync returned, with no hand-off to the writer.
        var returnedDone = append.IsCompletedSuccessfully;
        var appended = await append;
        Assert.True(returnedDone);
        await using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "journal.db")};Mode=ReadOnly;Pooling=False");
        await reader.OpenAsync(Ct);
        await using var count = reader.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM inbox WHERE id = " + appended.MessageId;
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task GroupCommit_OneBadWriteInABatch_FailsAloneAndTheOthersCommit()
    {
        // Every write through the writer's queue, so the 50 appends and the bad route share batches.
        await using var batching = SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(_folder, "batching.db")) { RunAloneWhenQuiet = false });
        var id = (await batching.AppendAsync(new InboundMessage("c1", "t", "text/plain", "m"u8.ToArray()), Ct)).MessageId;
        var bad = new RouteOutcome(id, MessageStatus.Processed) { Outbound = [new OutboundMessage(null!, "p", "text/plain", "x"u8.ToArray())] };

        var appends = Enumerable.Range(0, 50).Select(i => batching.AppendAsync(new InboundMessage("c1", "t", "text/plain", new byte[] { (byte)i }), Ct).AsTask()).ToList();
        var route = batching.RouteAsync([bad], Ct);
        var appended = await Task.WhenAll(appends);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => route);
        Assert.IsNotType<JournalUnavailableException>(error);
        Assert.Equal(50, appended.Select(a => a.MessageId).Distinct().Count());
        Assert.Equal(MessageStatus.Received, (await batching.GetMessageAsync(id, false, Ct))!.Status);
        Assert.Empty(await batching.GetOutboxEntriesAsync(id, Ct));
    }

    [Fact]
    public async Task IdempotencyKey_NewDataFolder_NeverRepeatsKeysOfAnother()
    {
        var other = Path.Combine(_folder, "other.db");
        await using var second = SqliteJournal.Open(new SqliteJournalOptions(other));
        var first = (SqliteJournal)Journal;

        Assert.NotEqual(first.IdempotencyKey(1, 0, "d"), second.IdempotencyKey(1, 0, "d"));
    }
}
