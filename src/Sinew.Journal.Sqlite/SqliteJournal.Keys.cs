using Microsoft.Data.Sqlite;

namespace Sinew.Journal.Sqlite;

public sealed partial class SqliteJournal
{
    /// <summary>How many rows still need <see cref="RewrapAsync"/>: wrapped by another key than the active one, or in clear.</summary>
    public async Task<(long Inbox, long Outbox)> CountNotUnderActiveKeyAsync(CancellationToken cancellationToken)
    {
        var active = _keys?.ActiveKeyId ?? throw new InvalidOperationException("no encryption keys are configured");
        await using var connection = await OpenReadAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM inbox WHERE key_id IS NULL OR key_id <> $k),
                   (SELECT COUNT(*) FROM outbox WHERE (key_id IS NULL OR key_id <> $k) AND length(payload) > 0)
            """;
        command.Parameters.AddWithValue("$k", active);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Brings every row under the active key-encryption key, <paramref name="batchSize"/> rows per commit so a running Sinew
    /// keeps writing in between: a wrapped data key is unwrapped with its old KEK and wrapped again (bodies stay as they are);
    /// a row still in clear gets a data key and is sealed. Returns how many inbox and outbox rows were changed.
    /// </summary>
    public async Task<(long Inbox, long Outbox)> RewrapAsync(int batchSize, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var keys = _keys ?? throw new InvalidOperationException("no encryption keys are configured");
        long inbox = 0, outbox = 0;
        while (true)
        {
            var changed = await WriteAsync(session => RewrapBatch(session, keys, "inbox", batchSize), cancellationToken);
            inbox += changed;
            progress?.Report(inbox);
            if (changed < batchSize)
            {
                break;
            }
        }
        while (true)
        {
            var changed = await WriteAsync(session => RewrapBatch(session, keys, "outbox", batchSize), cancellationToken);
            outbox += changed;
            progress?.Report(inbox + outbox);
            if (changed < batchSize)
            {
                break;
            }
        }
        return (inbox, outbox);
    }

    private static int RewrapBatch(WriteSession session, JournalKeyRing keys, string table, int batchSize)
    {
        var inbox = table == "inbox";
        var select = session.Command(inbox
            ? "SELECT id, key_id, data_key, body, response FROM inbox WHERE key_id IS NULL OR key_id <> $k LIMIT $n"
            : "SELECT id, key_id, data_key, payload, NULL FROM outbox WHERE (key_id IS NULL OR key_id <> $k) AND length(payload) > 0 LIMIT $n");
        select.Parameters.AddWithValue("$k", keys.ActiveKeyId);
        select.Parameters.AddWithValue("$n", batchSize);
        var rows = new List<(long Id, string? KeyId, byte[]? Wrapped, byte[] Blob, byte[]? Response)>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2),
                    (byte[])reader.GetValue(3), reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4)));
            }
        }
        foreach (var row in rows)
        {
            SqliteCommand update;
            if (row.KeyId is not null)
            {
                var dataKey = Envelope.Unwrap(row.Wrapped!, keys, row.KeyId);
                update = session.Command($"UPDATE {table} SET key_id = $k, data_key = $w WHERE id = $id");
                update.Parameters.Add("$w", SqliteType.Blob).Value = Envelope.Wrap(dataKey, keys, keys.ActiveKeyId);
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
            }
            else
            {
                var rowKey = RowKey.Create(keys);
                update = session.Command(inbox
                    ? "UPDATE inbox SET key_id = $k, data_key = $w, body = $b, response = $r WHERE id = $id"
                    : "UPDATE outbox SET key_id = $k, data_key = $w, payload = $b WHERE id = $id");
                update.Parameters.Add("$w", SqliteType.Blob).Value = rowKey.Wrapped;
                update.Parameters.Add("$b", SqliteType.Blob).Value = Envelope.Seal(row.Blob, rowKey.DataKey, inbox ? "inbox.body" : "outbox.payload");
                if (inbox)
                {
                    update.Parameters.Add("$r", SqliteType.Blob).Value = row.Response is null ? DBNull.Value : Envelope.Seal(row.Response, rowKey.DataKey, "inbox.response");
                }
            }
            update.Parameters.AddWithValue("$k", keys.ActiveKeyId);
            update.Parameters.AddWithValue("$id", row.Id);
            update.ExecuteNonQuery();
        }
        return rows.Count;
    }
}
