using Microsoft.Data.Sqlite;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// Creates and upgrades the journal's tables; times are Unix milliseconds. Version 2 adds envelope encryption: a row with a
/// <c>key_id</c> holds its blobs sealed under its own data key (<c>data_key</c>, wrapped by that KEK); a row without one
/// (written by version 1 or without keys) holds them in clear.
/// </summary>
internal static class JournalSchema
{
    public const int Version = 2;

    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS inbox (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            source TEXT NOT NULL,
            content_type TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            status INTEGER NOT NULL,
            control_id TEXT,
            dedupe_key TEXT,
            partition_key TEXT,
            generation INTEGER NOT NULL DEFAULT 0,
            error_step TEXT,
            error TEXT,
            processed_at INTEGER,
            body_length INTEGER NOT NULL,
            body BLOB NOT NULL,
            response BLOB,
            trace_parent TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ix_inbox_dedupe ON inbox(channel, dedupe_key) WHERE dedupe_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_inbox_channel_status ON inbox(channel, status, id);
        CREATE INDEX IF NOT EXISTS ix_inbox_channel_id ON inbox(channel, id);
        CREATE INDEX IF NOT EXISTS ix_inbox_problems ON inbox(status, id) WHERE status >= 3;
        CREATE INDEX IF NOT EXISTS ix_inbox_received ON inbox(received_at);
        CREATE INDEX IF NOT EXISTS ix_inbox_channel_received ON inbox(channel, received_at);
        CREATE INDEX IF NOT EXISTS ix_inbox_control ON inbox(control_id) WHERE control_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL,
            channel TEXT NOT NULL,
            destination TEXT NOT NULL,
            partition_key TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            content_type TEXT NOT NULL,
            payload BLOB NOT NULL,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            delivered_at INTEGER,
            last_error TEXT,
            received_at INTEGER NOT NULL,
            trace_parent TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox(channel, destination, partition_key, id) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS ix_outbox_pending_order ON outbox(channel, destination, id) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS ix_outbox_message ON outbox(message_id);
        CREATE INDEX IF NOT EXISTS ix_outbox_dead ON outbox(channel, id) WHERE status = 2;
        CREATE TABLE IF NOT EXISTS attempts (
            id INTEGER PRIMARY KEY,
            outbox_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            at INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            will_retry INTEGER NOT NULL,
            detail TEXT,
            duration_ms REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_attempts_message ON attempts(message_id);
        CREATE TABLE IF NOT EXISTS channel_state (channel TEXT PRIMARY KEY, paused INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS queue_counts (channel TEXT NOT NULL, destination TEXT NOT NULL, delivered INTEGER NOT NULL, PRIMARY KEY (channel, destination));
        """;

    private const string UpgradeToV2 = """
        ALTER TABLE inbox ADD COLUMN key_id TEXT;
        ALTER TABLE inbox ADD COLUMN data_key BLOB;
        ALTER TABLE outbox ADD COLUMN key_id TEXT;
        ALTER TABLE outbox ADD COLUMN data_key BLOB;
        CREATE INDEX IF NOT EXISTS ix_inbox_key ON inbox(key_id);
        CREATE INDEX IF NOT EXISTS ix_outbox_key ON outbox(key_id);
        """;

    public static string Migrate(SqliteConnection connection)
    {
        using (var transaction = connection.BeginTransaction())
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = CreateV1;
                command.ExecuteNonQuery();
            }
            var version = 1;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
                if (command.ExecuteScalar() is string text && int.TryParse(text, out var stored))
                {
                    version = stored;
                }
            }
            if (version > Version)
            {
                throw new InvalidOperationException($"the journal has schema version {version}, newer than this Sinew understands ({Version}); use a newer Sinew");
            }
            if (version < 2)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = UpgradeToV2;
                command.ExecuteNonQuery();
            }
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO meta(key, value) VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = $v";
                command.Parameters.AddWithValue("$v", Version.ToString());
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT OR IGNORE INTO meta(key, value) VALUES ('instance', $i)";
            command.Parameters.AddWithValue("$i", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)));
            command.ExecuteNonQuery();
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT value FROM meta WHERE key = 'instance'";
            return (string)command.ExecuteScalar()!;
        }
    }
}
