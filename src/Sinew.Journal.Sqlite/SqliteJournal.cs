using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite.Intake;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode with <c>synchronous=FULL</c>; every write goes through one
/// group-committing writer, reads use their own pooled connections and never wait for the writer.
/// </summary>
public sealed partial class SqliteJournal : IJournal
{
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly GroupCommitWriter _writer;
    private readonly JournalKeyRing? _keys;
    private int _disposed;

    private SqliteJournal(SqliteJournalOptions options, SqliteConnection writeConnection, string instanceId)
    {
        _writeConnection = writeConnection;
        _keys = options.Encryption;
        InstanceId = instanceId;
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new GroupCommitWriter(writeConnection, options.MaxBatch, options.QueueCapacity, options.RunAloneWhenQuiet, options.FlushesEveryCommit);
    }

    /// <summary>A random id made when the journal file was created; part of every idempotency key, so a new data folder never reuses keys.</summary>
    public string InstanceId { get; }

    /// <summary>Opens (creating if needed) the journal file and brings its schema up to date.</summary>
    public static SqliteJournal Open(SqliteJournalOptions options)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                var synchronous = options.FlushesEveryCommit ? "FULL" : "NORMAL";
                pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=OFF; PRAGMA busy_timeout=30000;"
                    // With keys, freed pages (a row re-sealed by rotation, a pruned message) are zeroed, not left in the file.
                    + (options.Encryption is null ? "" : " PRAGMA secure_delete=ON;");
                pragma.ExecuteNonQuery();
            }
            var instance = JournalSchema.Migrate(connection);
            var journal = new SqliteJournal(options, connection, instance);
            try
            {
                journal.OpenIntake(options);
            }
            catch
            {
                journal.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
            return journal;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 8 or 14 or 10 or 13 or 23)
        {
            connection.Dispose();
            // 8 READONLY, 14 CANTOPEN, 10 IOERR, 13 FULL, 23 AUTH: the folder or disk, not Sinew; say which file and why.
            var why = ex.SqliteErrorCode switch
            {
                8 => "it is read-only",
                13 => "the disk is full",
                14 => "it cannot be opened for writing (a read-only file system, or no permission on the file or folder)",
                _ => "of an I/O error",
            };
            throw new JournalUnavailableException($"the journal {System.IO.Path.GetFullPath(options.Path)} cannot be used because {why} (SQLite: {ex.Message})", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        // Sealing happens on the caller's thread, outside the single writer, so encryption does not slow the group commit.
        var body = ToArray(message.Body);
        var response = message.Response.IsEmpty ? null : message.Response.ToArray();
        RowKey? key = null;
        if (_keys is not null)
        {
            key = RowKey.Create(_keys);
            body = Envelope.Seal(body, key.DataKey, "inbox.body");
            response = response is null ? null : Envelope.Seal(response, key.DataKey, "inbox.response");
        }
        var row = new InboxRow
        {
            Channel = message.Channel,
            Source = message.Source,
            ContentType = message.ContentType,
            ReceivedAtMs = ToUnixMs(message.ReceivedAt),
            Status = (int)message.Status,
            ControlId = message.ControlId,
            DedupeKey = message.DedupeKey,
            DedupeWindowMs = message.DedupeWindow is { } window ? (long)window.TotalMilliseconds : null,
            PartitionKey = message.PartitionKey,
            Error = message.Error,
            BodyLength = message.Body.Length,
            Body = body,
            Response = response,
            TraceParent = message.TraceParent,
            KeyId = key?.KeyId,
            WrappedKey = key?.Wrapped,
        };
        if (_intake is { } log)
        {
            return AppendThroughIntakeAsync(log, row, message.Response, cancellationToken);
        }
        return new ValueTask<AppendResult>(_writer.ExecuteAsync(session => Append(session, row, id: null), cancellationToken));
    }

    private const string InsertInbox = """
        INSERT INTO inbox (id, channel, source, content_type, received_at, status, control_id, dedupe_key, partition_key, error, body_length, body, response, trace_parent, key_id, data_key)
        VALUES ($id, $channel, $source, $type, $at, $status, $control, $dedupe, $partition, $error, $length, $body, $response, $trace, $key, $dataKey)
        ON CONFLICT (channel, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        """;

    private static readonly (string Name, SqliteType Type)[] InsertInboxParameters =
    [
        ("$id", SqliteType.Integer),
        ("$channel", SqliteType.Text), ("$source", SqliteType.Text), ("$type", SqliteType.Text), ("$at", SqliteType.Integer),
        ("$status", SqliteType.Integer), ("$control", SqliteType.Text), ("$dedupe", SqliteType.Text), ("$partition", SqliteType.Text),
        ("$error", SqliteType.Text), ("$length", SqliteType.Integer), ("$body", SqliteType.Blob), ("$response", SqliteType.Blob),
        ("$trace", SqliteType.Text), ("$key", SqliteType.Text), ("$dataKey", SqliteType.Blob),
    ];

    /// <summary>
    /// Inserts the row, or finds the earlier one with its dedupe key. <paramref name="id"/> is given when the row comes from
    /// the intake log, which has already acknowledged it: it is inserted whatever the dedupe index says.
    /// </summary>
    private AppendResult Append(WriteSession session, InboxRow row, long? id)
    {
        // The hottest statement of the journal: its parameters are created once and only their values set per row, and
        // the new id comes from last_insert_rowid() (no RETURNING cursor); a dedupe conflict changes no row.
        var insert = session.Prepared(InsertInbox, InsertInboxParameters);
        var p = insert.Parameters;
        p[0].Value = (object?)id ?? DBNull.Value;
        p[1].Value = row.Channel;
        p[2].Value = row.Source;
        p[3].Value = row.ContentType;
        p[4].Value = row.ReceivedAtMs;
        p[5].Value = row.Status;
        p[6].Value = (object?)row.ControlId ?? DBNull.Value;
        p[7].Value = (object?)row.DedupeKey ?? DBNull.Value;
        p[8].Value = (object?)row.PartitionKey ?? DBNull.Value;
        p[9].Value = (object?)row.Error ?? DBNull.Value;
        p[10].Value = row.BodyLength;
        p[11].Value = row.Body;
        p[12].Value = (object?)row.Response ?? DBNull.Value;
        p[13].Value = (object?)row.TraceParent ?? DBNull.Value;
        p[14].Value = (object?)row.KeyId ?? DBNull.Value;
        p[15].Value = (object?)row.WrappedKey ?? DBNull.Value;
        int inserted;
        try
        {
            inserted = insert.ExecuteNonQuery();
        }
        finally
        {
            // The kept parameters must not hold the last message's body until the next one.
            p[11].Value = DBNull.Value;
            p[12].Value = DBNull.Value;
        }
        if (inserted == 1)
        {
            return new AppendResult(SQLitePCL.raw.sqlite3_last_insert_rowid(session.Connection.Handle), false, default);
        }
        var existing = session.Command(SelectByDedupeKey);
        existing.Parameters.AddWithValue("$channel", row.Channel);
        existing.Parameters.AddWithValue("$dedupe", row.DedupeKey);
        long existingId;
        using (var reader = existing.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException("Dedupe conflict without an existing row.");
            }
            existingId = reader.GetInt64(0);
            var duplicate = DuplicateOf(reader, row);
            if (duplicate is not null && id is null)
            {
                return duplicate.Value;
            }
            if (duplicate is not null)
            {
                // An acknowledged message is never dropped: it is kept without the key the earlier one holds.
                row.DedupeKey = null;
                return Append(session, row, id);
            }
        }
        // The earlier message is outside the dedupe window: it keeps its row but gives up the key.
        var release = session.Command("UPDATE inbox SET dedupe_key = NULL WHERE id = $id");
        release.Parameters.AddWithValue("$id", existingId);
        release.ExecuteNonQuery();
        return Append(session, row, id);
    }

    /// <summary>The earlier row holding a dedupe key: <c>$channel</c>, <c>$dedupe</c>; read with <see cref="DuplicateOf"/>.</summary>
    private const string SelectByDedupeKey = "SELECT id, response, received_at, key_id, data_key FROM inbox WHERE channel = $channel AND dedupe_key = $dedupe";

    /// <summary>The earlier row read by <see cref="SelectByDedupeKey"/> as the answer to a repeat of <paramref name="row"/>; null when it is outside the row's dedupe window.</summary>
    private AppendResult? DuplicateOf(SqliteDataReader reader, InboxRow row)
    {
        if (IsExpired(reader.GetInt64(2), row))
        {
            return null;
        }
        var stored = reader.IsDBNull(1) ? ReadOnlyMemory<byte>.Empty : Unseal((byte[])reader.GetValue(1), reader, 3, "inbox.response");
        return new AppendResult(reader.GetInt64(0), true, stored);
    }

    private static byte[] ToArray(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    /// <inheritdoc />
    public Task RouteAsync(IReadOnlyList<RouteOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }
        var now = ToUnixMs(DateTimeOffset.UtcNow);
        return WriteAsync(session =>
        {
            foreach (var outcome in outcomes)
            {
                Route(session, outcome, now);
            }
            return true;
        }, cancellationToken);
    }

    private void Route(WriteSession session, RouteOutcome outcome, long now)
    {
        var update = session.Command("""
            UPDATE inbox SET status = $status, error_step = $step, error = $error, processed_at = $now,
                partition_key = COALESCE($partition, partition_key)
            WHERE id = $id AND generation = $generation AND status = 0
            RETURNING channel, received_at, trace_parent
            """);
        update.Parameters.AddWithValue("$status", (int)outcome.Status);
        update.Parameters.AddWithValue("$step", (object?)outcome.ErrorStep ?? DBNull.Value);
        update.Parameters.AddWithValue("$error", (object?)outcome.Error ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", now);
        update.Parameters.AddWithValue("$partition", (object?)outcome.PartitionKey ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", outcome.MessageId);
        update.Parameters.AddWithValue("$generation", outcome.Generation);
        string channel;
        long receivedAt;
        object trace;
        using (var reader = update.ExecuteReader())
        {
            if (!reader.Read())
            {
                return; // Stale: the message was reprocessed or already routed; the newer run decides.
            }
            channel = reader.GetString(0);
            receivedAt = reader.GetInt64(1);
            trace = reader.IsDBNull(2) ? DBNull.Value : reader.GetString(2);
        }
        foreach (var outbound in outcome.Outbound)
        {
            // A PHI policy block goes straight to the exception queue: the payload is the reason (field names only) and is never sent.
            var blocked = Canonical.BlockedDelivery.Is(outbound.ContentType);
            var payload = blocked ? [] : ToArray(outbound.Payload);
            RowKey? rowKey = null;
            if (_keys is not null && !blocked)
            {
                rowKey = RowKey.Create(_keys);
                payload = Envelope.Seal(payload, rowKey.DataKey, "outbox.payload");
            }
            var insert = session.Command("""
                INSERT INTO outbox (message_id, channel, destination, partition_key, idempotency_key, content_type, payload, status, attempts, created_at, next_attempt_at, received_at, trace_parent, last_error, key_id, data_key)
                VALUES ($message, $channel, $destination, $partition, $key, $type, $payload, $status, 0, $now, $now, $received, $trace, $error, $keyId, $dataKey)
                """);
            var p = insert.Parameters;
            p.AddWithValue("$message", outcome.MessageId);
            p.AddWithValue("$channel", channel);
            p.AddWithValue("$destination", outbound.Destination);
            p.AddWithValue("$partition", outbound.PartitionKey);
            p.AddWithValue("$key", IdempotencyKey(outcome.MessageId, outcome.Generation, outbound.Destination));
            p.AddWithValue("$type", outbound.ContentType);
            p.Add("$payload", SqliteType.Blob).Value = payload;
            p.AddWithValue("$status", blocked ? (int)DeliveryStatus.DeadLettered : (int)DeliveryStatus.Pending);
            p.AddWithValue("$error", blocked ? System.Text.Encoding.UTF8.GetString(outbound.Payload.Span) : DBNull.Value);
            p.AddWithValue("$keyId", (object?)rowKey?.KeyId ?? DBNull.Value);
            p.Add("$dataKey", SqliteType.Blob).Value = (object?)rowKey?.Wrapped ?? DBNull.Value;
            p.AddWithValue("$now", now);
            p.AddWithValue("$received", receivedAt);
            p.AddWithValue("$trace", trace);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The deterministic key a destination uses to recognise a repeat: journal instance, message id, run, destination.</summary>
    public string IdempotencyKey(long messageId, int generation, string destination) =>
        generation == 0 ? $"{InstanceId}-{messageId}-{destination}" : $"{InstanceId}-{messageId}r{generation}-{destination}";

    /// <inheritdoc />
    public Task RecordAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        return WriteAsync(session =>
        {
            var insert = session.Command("""
                INSERT INTO attempts (outbox_id, message_id, attempt, at, outcome, will_retry, detail, duration_ms)
                SELECT id, message_id, $attempt, $at, $outcome, $retry, $detail, $duration FROM outbox WHERE id = $id
                """);
            var p = insert.Parameters;
            p.AddWithValue("$id", attempt.OutboxId);
            p.AddWithValue("$attempt", attempt.Attempt);
            p.AddWithValue("$at", ToUnixMs(attempt.At));
            p.AddWithValue("$outcome", (int)attempt.Outcome);
            p.AddWithValue("$retry", attempt.WillRetry ? 1 : 0);
            p.AddWithValue("$detail", (object?)attempt.Detail ?? DBNull.Value);
            p.AddWithValue("$duration", attempt.DurationMs);
            insert.ExecuteNonQuery();

            var update = session.Command("""
                UPDATE outbox SET attempts = $attempt, status = $status, next_attempt_at = $next, last_error = $error,
                    delivered_at = CASE WHEN $status = 1 THEN $at ELSE delivered_at END
                WHERE id = $id AND status = 0
                """);
            p = update.Parameters;
            p.AddWithValue("$id", attempt.OutboxId);
            p.AddWithValue("$attempt", attempt.Attempt);
            p.AddWithValue("$status", attempt.WillRetry ? (int)DeliveryStatus.Pending : (int)attempt.Outcome);
            p.AddWithValue("$next", ToUnixMs(attempt.WillRetry ? attempt.NextAttemptAt : attempt.At));
            p.AddWithValue("$error", attempt.Outcome == DeliveryStatus.Delivered ? DBNull.Value : (object?)attempt.Detail ?? DBNull.Value);
            p.AddWithValue("$at", ToUnixMs(attempt.At));
            if (update.ExecuteNonQuery() > 0 && attempt.Outcome == DeliveryStatus.Delivered && !attempt.WillRetry)
            {
                // Delivered counts are kept, not counted: a GROUP BY over millions of delivered rows is too slow for an overview.
                var count = session.Command("""
                    INSERT INTO queue_counts (channel, destination, delivered) SELECT channel, destination, 1 FROM outbox WHERE id = $id
                    ON CONFLICT (channel, destination) DO UPDATE SET delivered = delivered + 1
                    """);
                count.Parameters.AddWithValue("$id", attempt.OutboxId);
                count.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReprocessResult> ReprocessAsync(long messageId, CancellationToken cancellationToken)
    {
        var now = ToUnixMs(DateTimeOffset.UtcNow);
        return WriteAsync(session =>
        {
            // A delivery blocked by the PHI policy has nothing to resend: the pipeline runs again under the current policy.
            var blocked = session.Command("SELECT COUNT(*) FROM outbox WHERE message_id = $id AND status = 2 AND content_type = $blocked");
            blocked.Parameters.AddWithValue("$id", messageId);
            blocked.Parameters.AddWithValue("$blocked", Canonical.BlockedDelivery.ContentType);
            var hasBlocked = (long)blocked.ExecuteScalar()! > 0;
            if (!hasBlocked)
            {
                var requeue = session.Command("UPDATE outbox SET status = 0, attempts = 0, next_attempt_at = $now WHERE message_id = $id AND status = 2");
                requeue.Parameters.AddWithValue("$now", now);
                requeue.Parameters.AddWithValue("$id", messageId);
                if (requeue.ExecuteNonQuery() > 0)
                {
                    return ReprocessResult.DeliveriesRequeued;
                }
            }
            var status = session.Command("""
                SELECT status, (SELECT COUNT(*) FROM outbox WHERE message_id = $id AND status = 0) FROM inbox WHERE id = $id
                """);
            status.Parameters.AddWithValue("$id", messageId);
            using (var reader = status.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return ReprocessResult.NotFound;
                }
                if (reader.GetInt32(0) == (int)MessageStatus.Received || reader.GetInt64(1) > 0)
                {
                    return ReprocessResult.AlreadyPending;
                }
            }
            if (hasBlocked)
            {
                var supersede = session.Command("UPDATE outbox SET status = 3, last_error = 'superseded by reprocess: ' || COALESCE(last_error, '') WHERE message_id = $id AND status = 2");
                supersede.Parameters.AddWithValue("$id", messageId);
                supersede.ExecuteNonQuery();
            }
            var rerun = session.Command("""
                UPDATE inbox SET status = 0, generation = generation + 1, error = NULL, error_step = NULL, processed_at = NULL WHERE id = $id
                """);
            rerun.Parameters.AddWithValue("$id", messageId);
            rerun.ExecuteNonQuery();
            return ReprocessResult.PipelineRequeued;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DiscardAsync(long outboxId, string reason, CancellationToken cancellationToken)
    {
        return WriteAsync(session =>
        {
            var discard = session.Command("UPDATE outbox SET status = 3, last_error = $reason WHERE id = $id AND status = 2");
            discard.Parameters.AddWithValue("$reason", "discarded: " + reason);
            discard.Parameters.AddWithValue("$id", outboxId);
            return discard.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DiscardMessageAsync(long messageId, string reason, CancellationToken cancellationToken)
    {
        return WriteAsync(session =>
        {
            var inbox = session.Command("UPDATE inbox SET status = 5, error = $reason WHERE id = $id AND status IN (3, 4)");
            inbox.Parameters.AddWithValue("$reason", "discarded: " + reason);
            inbox.Parameters.AddWithValue("$id", messageId);
            var changed = inbox.ExecuteNonQuery();
            var outbox = session.Command("UPDATE outbox SET status = 3, last_error = $reason WHERE message_id = $id AND status = 2");
            outbox.Parameters.AddWithValue("$reason", "discarded: " + reason);
            outbox.Parameters.AddWithValue("$id", messageId);
            changed += outbox.ExecuteNonQuery();
            return changed > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetPausedAsync(string channel, bool paused, CancellationToken cancellationToken)
    {
        return WriteAsync(session =>
        {
            var upsert = session.Command("INSERT INTO channel_state (channel, paused) VALUES ($c, $p) ON CONFLICT (channel) DO UPDATE SET paused = $p");
            upsert.Parameters.AddWithValue("$c", channel);
            upsert.Parameters.AddWithValue("$p", paused ? 1 : 0);
            return upsert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> PruneAsync(string channel, RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const int chunk = 500;
        long total = 0;
        while (true)
        {
            var removed = await WriteAsync(session => PruneChunk(session, channel, policy, now, chunk), cancellationToken);
            total += removed;
            if (removed < chunk)
            {
                return total;
            }
        }
    }

    private static int PruneChunk(WriteSession session, string channel, RetentionPolicy policy, DateTimeOffset now, int chunk)
    {
        long keepFromId = long.MaxValue;
        if (policy.MaxCount is { } maxCount)
        {
            var boundary = session.Command("SELECT id FROM inbox WHERE channel = $c ORDER BY id DESC LIMIT 1 OFFSET $n");
            boundary.Parameters.AddWithValue("$c", channel);
            boundary.Parameters.AddWithValue("$n", Math.Max(0, maxCount));
            keepFromId = boundary.ExecuteScalar() is long id ? id + 1 : 0;
        }
        var cutoff = policy.MaxAge is { } age ? ToUnixMs(now - age) : long.MinValue;
        var select = session.Command("""
            SELECT i.id FROM inbox i
            WHERE i.channel = $c AND i.status IN (1, 2, 4, 5) AND (i.id < $keep OR i.received_at < $cutoff)
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = i.id AND o.status IN (0, 2))
            ORDER BY i.id LIMIT $chunk
            """);
        select.Parameters.AddWithValue("$c", channel);
        select.Parameters.AddWithValue("$keep", keepFromId);
        select.Parameters.AddWithValue("$cutoff", cutoff);
        select.Parameters.AddWithValue("$chunk", chunk);
        var ids = new List<long>(chunk);
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        foreach (var id in ids)
        {
            foreach (var sql in (string[])["DELETE FROM attempts WHERE message_id = $id", "DELETE FROM outbox WHERE message_id = $id", "DELETE FROM inbox WHERE id = $id"])
            {
                var delete = session.Command(sql);
                delete.Parameters.AddWithValue("$id", id);
                delete.ExecuteNonQuery();
            }
        }
        return ids.Count;
    }

    /// <summary>The clear bytes of a blob of the current row: as stored when the row has no key id, else opened with its data key.</summary>
    private byte[] Unseal(byte[] stored, SqliteDataReader reader, int keyIdColumn, string associated) =>
        reader.IsDBNull(keyIdColumn) ? stored : Unseal(stored, reader.GetString(keyIdColumn), (byte[])reader.GetValue(keyIdColumn + 1), associated);

    /// <summary>The clear bytes of a blob sealed under <paramref name="keyId"/> (null: stored in clear).</summary>
    private byte[] Unseal(byte[] stored, string? keyId, byte[]? wrapped, string associated)
    {
        if (keyId is null)
        {
            return stored;
        }
        if (_keys is null)
        {
            throw new InvalidOperationException("the journal holds encrypted rows but no encryption keys are configured; add the encryption: section of sinew.yaml");
        }
        var dataKey = Envelope.Unwrap(wrapped!, _keys, keyId);
        try
        {
            return Envelope.Open(stored, dataKey, associated);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Runs a write (anything but an append) once everything acknowledged is in the inbox table.</summary>
    private async Task<T> WriteAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken)
    {
        await WhenMovedOrStalledAsync(cancellationToken);
        return await _writer.ExecuteAsync(work, cancellationToken);
    }

    /// <summary>A read connection, once everything acknowledged is in the inbox table.</summary>
    private async ValueTask<SqliteConnection> OpenReadAsync()
    {
        await WhenMovedOrStalledAsync(CancellationToken.None);
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await CloseIntakeAsync();
        await _writer.DisposeAsync();
        await _writeConnection.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
    }
}
