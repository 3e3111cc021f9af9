using Microsoft.Data.Sqlite;

namespace Sinew.Audit.Log;

/// <summary>The audit log's SQLite file (<c>audit.db</c> in the data folder): WAL, <c>synchronous=FULL</c>, append-only triggers.</summary>
internal static class AuditDatabase
{
    public const string FileName = "audit.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT,
            target TEXT,
            outcome TEXT NOT NULL,
            reason TEXT,
            source TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_audit_at ON audit(at);
        CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
        """;

    public static SqliteConnection Open(string dataDirectory, bool create)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!create && !File.Exists(path))
        {
            throw new FileNotFoundException($"there is no audit log at {path}", path);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;" + (create ? Schema : "");
        command.ExecuteNonQuery();
        return connection;
    }
}
