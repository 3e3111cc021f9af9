using Microsoft.Data.Sqlite;
using Sinew.Core.Audit;

namespace Sinew.Audit.Log;

/// <summary>
/// The append-only, hash-chained audit log in <c>audit.db</c>. Each write reads the head inside an immediate
/// transaction, so records written by another process (the CLI rotating keys while Sinew runs) extend the same chain.
/// A write returns once its record is committed with <c>synchronous=FULL</c>.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[]? _key;

    private SqliteAuditLog(SqliteConnection connection, byte[]? key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Raised with the record's sequence after it is committed by this process, so a stream reading the log wakes without polling.</summary>
    public event EventHandler<long>? Appended;

    /// <summary>Whether records are chained with HMAC-SHA256 (a key from <c>audit.key</c>) rather than plain SHA-256.</summary>
    public bool Keyed => _key is not null;

    /// <summary>
    /// Opens the audit log of a data folder for a local admin command (no running Sinew needed), with the chain key from
    /// the <c>audit:</c> section of <paramref name="configDirectory"/>'s <c>sinew.yaml</c> when one is given.
    /// </summary>
    /// <param name="dataDirectory">The data folder holding <c>audit.db</c>.</param>
    /// <param name="configDirectory">The configuration folder, or null when the chain has no key.</param>
    /// <param name="create">Create <c>audit.db</c> when missing: true for commands that record what they do.</param>
    public static SqliteAuditLog OpenLocal(string dataDirectory, string? configDirectory, bool create)
    {
        var key = configDirectory is null ? null : Keys.ProtectionSettings.Read(configDirectory).Audit.Key;
        try
        {
            return Open(Path.GetFullPath(dataDirectory), key, create);
        }
        catch (InvalidOperationException ex) when (configDirectory is null && ex.Message.Contains("no audit.key", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("audit.db is chained with a key (HMAC-SHA256): pass --config DIR so the key in its sinew.yaml (audit.key) is used", ex);
        }
    }

    /// <summary>Opens (creating when <paramref name="create"/>) the audit log of a data folder.</summary>
    /// <param name="dataDirectory">The data folder holding <c>audit.db</c>.</param>
    /// <param name="key">The chain key (HMAC-SHA256); null for a plain SHA-256 chain.</param>
    /// <param name="create">Create the file when missing (false for tools that only read it).</param>
    public static SqliteAuditLog Open(string dataDirectory, byte[]? key, bool create = true)
    {
        var connection = AuditDatabase.Open(dataDirectory, create);
        try
        {
            var mode = key is null ? "sha256" : "hmac-sha256";
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('chain', $m); SELECT value FROM meta WHERE key = 'chain'";
                command.Parameters.AddWithValue("$m", mode);
                var stored = command.ExecuteScalar() as string;
                if (stored != mode)
                {
                    throw new InvalidOperationException(stored == "hmac-sha256"
                        ? "audit.db is chained with a key (HMAC-SHA256) but no audit.key is configured; set audit: { key: file:… } in sinew.yaml"
                        : "audit.db is chained without a key (SHA-256) but audit.key is configured; remove the key, or start a new audit log (archive the old one)");
                }
            }
            return new SqliteAuditLog(connection, key);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken) => WriteAsync(record, null, cancellationToken);

    /// <summary>
    /// Appends <paramref name="record"/> and, in the same transaction, sets a value in <c>meta</c> (state that explains
    /// the record, such as the file hashes behind a <c>config.change</c>), so the two never disagree after a crash.
    /// </summary>
    public async ValueTask WriteAsync(AuditRecord record, KeyValuePair<string, string>? meta, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        long sequence;
        try
        {
            // Immediate: the head is read under the write lock, so two processes never fork the chain.
            using var transaction = _connection.BeginTransaction(deferred: false);
            string previous;
            using (var head = _connection.CreateCommand())
            {
                head.Transaction = transaction;
                head.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
                using var reader = head.ExecuteReader();
                (sequence, previous) = reader.Read() ? (reader.GetInt64(0) + 1, reader.GetString(1)) : (1L, AuditChain.Genesis);
            }
            var at = DateTimeOffset.FromUnixTimeMilliseconds(record.At.ToUnixTimeMilliseconds());
            record = record with { At = at };
            var hash = AuditChain.Hash(sequence, record, previous, _key);
            using (var insert = _connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO audit (seq, at, action, actor, role, target, outcome, reason, source, prev_hash, hash)
                    VALUES ($seq, $at, $action, $actor, $role, $target, $outcome, $reason, $source, $prev, $hash);
                    INSERT INTO meta (key, value) VALUES ('head', $head) ON CONFLICT (key) DO UPDATE SET value = $head;
                    """;
                var p = insert.Parameters;
                p.AddWithValue("$seq", sequence);
                p.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                p.AddWithValue("$action", record.Action);
                p.AddWithValue("$actor", record.Actor);
                p.AddWithValue("$role", (object?)record.Role ?? DBNull.Value);
                p.AddWithValue("$target", (object?)record.Target ?? DBNull.Value);
                p.AddWithValue("$outcome", record.Outcome);
                p.AddWithValue("$reason", (object?)record.Reason ?? DBNull.Value);
                p.AddWithValue("$source", (object?)record.Source ?? DBNull.Value);
                p.AddWithValue("$prev", previous);
                p.AddWithValue("$hash", hash);
                p.AddWithValue("$head", $"{sequence}:{hash}");
                insert.ExecuteNonQuery();
            }
            if (meta is { } pair)
            {
                using var set = _connection.CreateCommand();
                set.Transaction = transaction;
                set.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = $v";
                set.Parameters.AddWithValue("$k", "x-" + pair.Key);
                set.Parameters.AddWithValue("$v", pair.Value);
                set.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
        Appended?.Invoke(this, sequence);
    }

    /// <summary>The sequence number of the last record (0 when the log is empty), including records other processes wrote.</summary>
    public async Task<long> HeadSequenceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit";
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last sequence a reader named <paramref name="name"/> (e.g. a syslog stream) has handed on; 0 when none.</summary>
    public async Task<long> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = $k";
            command.Parameters.AddWithValue("$k", "cursor-" + name);
            return await command.ExecuteScalarAsync(cancellationToken) is string text && long.TryParse(text, out var sequence) ? sequence : 0;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Persists a reader's cursor (outside the chain: it says how far a copy got, not what happened).</summary>
    public async Task WriteCursorAsync(string name, long sequence, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = $v";
            command.Parameters.AddWithValue("$k", "cursor-" + name);
            command.Parameters.AddWithValue("$v", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records in chain order from <paramref name="afterSequence"/>, optionally only those at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, at, action, actor, role, target, outcome, reason, source, prev_hash, hash FROM audit WHERE seq > $after AND at >= $since ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$since", since?.ToUnixTimeMilliseconds() ?? long.MinValue);
            command.Parameters.AddWithValue("$limit", limit);
            return await ReadEntriesAsync(command, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static async Task<IReadOnlyList<AuditEntry>> ReadEntriesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<AuditEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadEntry(reader));
        }
        return list;
    }

    internal static AuditEntry ReadEntry(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        new AuditRecord
        {
            At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            Action = reader.GetString(2),
            Actor = reader.GetString(3),
            Role = reader.IsDBNull(4) ? null : reader.GetString(4),
            Target = reader.IsDBNull(5) ? null : reader.GetString(5),
            Outcome = reader.GetString(6),
            Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
            Source = reader.IsDBNull(8) ? null : reader.GetString(8),
        },
        reader.GetString(9),
        reader.GetString(10));

    /// <summary>The last record with <paramref name="action"/>, or null when there is none.</summary>
    public async Task<AuditEntry?> LastAsync(string action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, at, action, actor, role, target, outcome, reason, source, prev_hash, hash FROM audit WHERE action = $action ORDER BY seq DESC LIMIT 1";
            command.Parameters.AddWithValue("$action", action);
            var entries = await ReadEntriesAsync(command, cancellationToken);
            return entries.Count > 0 ? entries[0] : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A value set with a record by <see cref="WriteAsync(AuditRecord, KeyValuePair{string, string}?, CancellationToken)"/>; not chained.</summary>
    public async Task<string?> ReadMetaAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = $k";
            command.Parameters.AddWithValue("$k", "x-" + key);
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Walks the whole chain; see <see cref="AuditVerifier"/>.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => AuditVerifier.VerifyAsync(_connection, _key, cancellationToken);

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
