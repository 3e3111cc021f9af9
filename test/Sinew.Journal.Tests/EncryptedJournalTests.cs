using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Sinew.Canonical;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite;

namespace Sinew.Journal.Tests;

/// <summary>The compliance suite again with envelope encryption on, plus what encryption at rest must guarantee.</summary>
public sealed class EncryptedJournalTests : JournalComplianceTests
{
    private const string Canary = "CANARY-7f3a-PATIENT";
    private static readonly byte[] Kek1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Kek2 = RandomNumberGenerator.GetBytes(32);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sinew-journal-enc-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_folder, "journal.db");

    private static JournalKeyRing Ring(string active, params (string Id, byte[] Key)[] keys) =>
        new(keys.ToDictionary(k => k.Id, k => k.Key), active);

    protected override Task<IJournal> OpenAsync(bool reopen) =>
        Task.FromResult<IJournal>(SqliteJournal.Open(new SqliteJournalOptions(DbPath) { Encryption = Ring("k1", ("k1", Kek1)) }));

    private async Task<long> AppendAndRouteAsync(IJournal journal, string text)
    {
        var id = (await journal.AppendAsync(new InboundMessage("c1", "t", "text/plain", Encoding.UTF8.GetBytes(text)) { ControlId = "MSG-1", Response = Encoding.UTF8.GetBytes("ACK " + text) }, Ct)).MessageId;
        await journal.RouteAsync([new RouteOutcome(id, MessageStatus.Processed) { Outbound = [new OutboundMessage("d", "p", "text/plain", Encoding.UTF8.GetBytes("out " + text))] }], Ct);
        return id;
    }

    private byte[] AllFileBytes() => DiskBytes.Of(Directory.EnumerateFiles(_folder));

    [Fact]
    public async Task Append_WithKey_FilesHoldNoCanaryAndReadsGiveItBack()
    {
        var id = await AppendAndRouteAsync(Journal, Canary);

        Assert.Equal(-1, AllFileBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(Canary)));
        Assert.Equal(Canary, Encoding.UTF8.GetString((await Journal.GetMessageAsync(id, true, Ct))!.Body.Span));
        Assert.Equal("out " + Canary, Encoding.UTF8.GetString((await Journal.GetOutboxEntriesAsync(id, true, Ct)).Single().Payload.Span));
        Assert.Equal("MSG-1", (await Journal.SearchAsync(new MessageQuery { ControlId = "MSG-1" }, Ct)).Items.Single().ControlId);
    }

    [Fact]
    public async Task Rewrap_ToNewKey_EveryRowReadableWithoutTheOldKey()
    {
        var ids = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add(await AppendAndRouteAsync(Journal, Canary + i));
        }
        await Journal.DisposeAsync();
        await using (var rotating = SqliteJournal.Open(new SqliteJournalOptions(DbPath) { Encryption = Ring("k2", ("k1", Kek1), ("k2", Kek2)) }))
        {
            var (inbox, outbox) = await rotating.RewrapAsync(batchSize: 10, progress: null, Ct);
            Assert.Equal((25L, 25L), (inbox, outbox));
            Assert.Equal((0L, 0L), await rotating.CountNotUnderActiveKeyAsync(Ct));
        }
        await using var after = SqliteJournal.Open(new SqliteJournalOptions(DbPath) { Encryption = Ring("k2", ("k2", Kek2)) });
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(Canary + i, Encoding.UTF8.GetString((await after.GetMessageAsync(ids[i], true, Ct))!.Body.Span));
        }
        await ReopenAsync();
    }

    [Fact]
    public async Task Read_RowOfAMissingKey_SaysWhichKeyIsNeeded()
    {
        var id = await AppendAndRouteAsync(Journal, Canary);
        await Journal.DisposeAsync();
        await using (var other = SqliteJournal.Open(new SqliteJournalOptions(DbPath) { Encryption = Ring("k2", ("k2", Kek2)) }))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => other.GetMessageAsync(id, true, Ct));
            Assert.Contains("'k1'", error.Message, StringComparison.Ordinal);
        }
        await ReopenAsync();
    }

    [Fact]
    public async Task Open_Version1FileWithClearRows_MigratesAndRotationSealsThem()
    {
        var legacy = Path.Combine(_folder, "legacy.db");
        await using (var connection = new SqliteConnection($"Data Source={legacy}"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta VALUES ('schema_version', '1'), ('instance', 'abcd1234');
                CREATE TABLE inbox (id INTEGER PRIMARY KEY, channel TEXT NOT NULL, source TEXT NOT NULL, content_type TEXT NOT NULL, received_at INTEGER NOT NULL,
                  status INTEGER NOT NULL, control_id TEXT, dedupe_key TEXT, partition_key TEXT, generation INTEGER NOT NULL DEFAULT 0, error_step TEXT, error TEXT,
                  processed_at INTEGER, body_length INTEGER NOT NULL, body BLOB NOT NULL, response BLOB, trace_parent TEXT);
                CREATE TABLE outbox (id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, channel TEXT NOT NULL, destination TEXT NOT NULL, partition_key TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL, content_type TEXT NOT NULL, payload BLOB NOT NULL, status INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                  created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT, received_at INTEGER NOT NULL, trace_parent TEXT);
                INSERT INTO inbox (channel, source, content_type, received_at, status, body_length, body) VALUES ('c1', 't', 'text/plain', 0, 1, 6, CAST('legacy' AS BLOB));
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();

        await using var journal = SqliteJournal.Open(new SqliteJournalOptions(legacy) { Encryption = Ring("k1", ("k1", Kek1)) });
        Assert.Equal("legacy", Encoding.UTF8.GetString((await journal.GetMessageAsync(1, true, Ct))!.Body.Span));
        Assert.Equal((1L, 0L), await journal.RewrapAsync(100, null, Ct));
        Assert.Equal("legacy", Encoding.UTF8.GetString((await journal.GetMessageAsync(1, true, Ct))!.Body.Span));
        await using var check = new SqliteConnection($"Data Source={legacy}");
        await check.OpenAsync(Ct);
        await using var version = check.CreateCommand();
        version.CommandText = "SELECT (SELECT value FROM meta WHERE key = 'schema_version'), (SELECT key_id FROM inbox WHERE id = 1)";
        await using var reader = await version.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        Assert.Equal(("2", "k1"), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task Route_PolicyBlock_GoesToTheExceptionQueueWithItsReasonAndReprocessRerunsThePipeline()
    {
        var id = (await Journal.AppendAsync(new InboundMessage("c1", "t", "text/plain", "x"u8.ToArray()), Ct)).MessageId;
        const string reason = "blocked by PHI policy for destination 'd': fields above class internal: patientId";
        await Journal.RouteAsync([new RouteOutcome(id, MessageStatus.Processed) { Outbound = [new OutboundMessage("d", "p", BlockedDelivery.ContentType, Encoding.UTF8.GetBytes(reason))] }], Ct);

        Assert.Empty(await Journal.ReadDeliverableAsync("c1", "d", DateTimeOffset.UtcNow.AddMinutes(1), false, 10, Ct));
        var exception = (await Journal.GetExceptionsAsync("c1", 10, Ct)).Single();
        Assert.Equal(("d", reason), (exception.Destination, exception.Reason));
        Assert.Equal(ReprocessResult.PipelineRequeued, await Journal.ReprocessAsync(id, Ct));
        Assert.Single(await Journal.ReadReceivedAsync("c1", 0, 10, Ct));
    }
}
