using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Sinew.Canonical;
using Sinew.Journal.Sqlite;

namespace Sinew.Audit.Policy;

/// <summary>
/// The re-identification vault (<c>vault.db</c>): each value gets a random surrogate (<c>tok:r:…</c>) that carries no
/// information about it; the value is kept sealed with AES-GCM under the journal's active KEK, found again for the same
/// input by its keyed hash. Only <c>POST /api/v1/tokens/resolve</c> (auditor, audited) or the local CLI reads it back.
/// <c>sinew keys rotate</c> re-seals every entry under the active KEK and re-keys its lookup hash under the active
/// tokenization version (<see cref="Reseal"/>), so old KEKs and old tokenization versions can be retired.
/// </summary>
public sealed class TokenVault : IFieldTokenizer, IDisposable
{
    public const string Prefix = "tok:r:";
    private readonly SqliteConnection _connection;
    private readonly HmacTokenizer _lookup;
    private readonly JournalKeyRing _keys;
    private readonly Lock _lock = new();

    private TokenVault(SqliteConnection connection, HmacTokenizer lookup, JournalKeyRing keys)
    {
        _connection = connection;
        _lookup = lookup;
        _keys = keys;
    }

    public static TokenVault Open(string dataDirectory, HmacTokenizer lookup, JournalKeyRing keys)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON;
            CREATE TABLE IF NOT EXISTS tokens (surrogate TEXT PRIMARY KEY, lookup TEXT NOT NULL UNIQUE, key_id TEXT NOT NULL, value BLOB NOT NULL, created_at INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
        // Vaults made before rotation covered them have no lookup_version: NULL reads as "not known to be under the active version".
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('tokens') WHERE name = 'lookup_version'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            command.CommandText = "ALTER TABLE tokens ADD COLUMN lookup_version INTEGER";
            command.ExecuteNonQuery();
        }
        return new TokenVault(connection, lookup, keys);
    }

    /// <summary>The vault's file in the data folder.</summary>
    public const string FileName = "vault.db";

    /// <inheritdoc />
    public string Tokenize(string value)
    {
        // The lookup is a keyed hash under every version still held, so a value tokenized before a key rotation keeps its
        // surrogate; one query over all of them, so a rotation re-keying the entry in between cannot hide it.
        lock (_lock)
        {
            using (var find = _connection.CreateCommand())
            {
                var names = new List<string>();
                foreach (var version in _lookup.Versions)
                {
                    var name = "$l" + version.ToString(CultureInfo.InvariantCulture);
                    names.Add(name);
                    find.Parameters.AddWithValue(name, _lookup.Tokenize(value, version));
                }
                find.CommandText = $"SELECT surrogate FROM tokens WHERE lookup IN ({string.Join(", ", names)}) LIMIT 1";
                if (find.ExecuteScalar() is string existing)
                {
                    return existing;
                }
            }
            var surrogate = Prefix + Base32.Encode(RandomNumberGenerator.GetBytes(16));
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO tokens (surrogate, lookup, key_id, value, created_at, lookup_version) VALUES ($s, $l, $k, $v, $t, $lv)";
            insert.Parameters.AddWithValue("$s", surrogate);
            insert.Parameters.AddWithValue("$l", _lookup.Tokenize(value));
            insert.Parameters.AddWithValue("$k", _keys.ActiveKeyId);
            insert.Parameters.Add("$v", SqliteType.Blob).Value = Seal(Encoding.UTF8.GetBytes(value), _keys.KeyOf(_keys.ActiveKeyId), surrogate);
            insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$lv", _lookup.ActiveVersion);
            insert.ExecuteNonQuery();
            return surrogate;
        }
    }

    /// <summary>The value behind a surrogate, or null when the vault does not hold it.</summary>
    public string? Resolve(string surrogate)
    {
        lock (_lock)
        {
            using var find = _connection.CreateCommand();
            find.CommandText = "SELECT key_id, value FROM tokens WHERE surrogate = $s";
            find.Parameters.AddWithValue("$s", surrogate);
            using var reader = find.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            return Encoding.UTF8.GetString(Open((byte[])reader.GetValue(1), KeyOf(reader.GetString(0)), surrogate));
        }
    }

    /// <summary>An entry rotation still has to handle: sealed under another KEK than <c>$k</c>, or its lookup not under version <c>$v</c>.</summary>
    private const string NotCurrent = "(key_id <> $k OR lookup_version IS NULL OR lookup_version <> $v)";

    /// <summary>How many entries are sealed under another KEK than the active one, or looked up under another tokenization version.</summary>
    public long CountToReseal()
    {
        lock (_lock)
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM tokens WHERE " + NotCurrent;
            count.Parameters.AddWithValue("$k", _keys.ActiveKeyId);
            count.Parameters.AddWithValue("$v", _lookup.ActiveVersion);
            return (long)count.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// Re-seals every entry not under the active KEK (opened with its old KEK, sealed again under the active one) and
    /// re-keys its lookup hash under the active tokenization version, <paramref name="batchSize"/> entries per
    /// transaction so a running Sinew keeps tokenizing and resolving in between. Surrogates never change, so every token
    /// already handed out still resolves. Returns how many entries were changed.
    /// </summary>
    public long Reseal(int batchSize, CancellationToken cancellationToken)
    {
        long changed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = ResealBatch(batchSize);
            changed += batch;
            if (batch < batchSize)
            {
                return changed;
            }
        }
    }

    private int ResealBatch(int batchSize)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var rows = new List<(string Surrogate, string KeyId, byte[] Value)>();
            using (var select = _connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT surrogate, key_id, value FROM tokens WHERE " + NotCurrent + " LIMIT $n";
                select.Parameters.AddWithValue("$k", _keys.ActiveKeyId);
                select.Parameters.AddWithValue("$v", _lookup.ActiveVersion);
                select.Parameters.AddWithValue("$n", batchSize);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
                }
            }
            foreach (var (surrogate, keyId, sealedValue) in rows)
            {
                var plaintext = Open(sealedValue, KeyOf(keyId), surrogate);
                try
                {
                    using var update = _connection.CreateCommand();
                    update.Transaction = transaction;
                    // The lookup moves only when no other entry holds that hash (OR IGNORE); either way the entry is
                    // re-sealed and marked as handled, so rotation always finishes.
                    update.CommandText = """
                        UPDATE tokens SET key_id = $k, value = $value WHERE surrogate = $s;
                        UPDATE OR IGNORE tokens SET lookup = $l WHERE surrogate = $s;
                        UPDATE tokens SET lookup_version = $v WHERE surrogate = $s;
                        """;
                    update.Parameters.AddWithValue("$k", _keys.ActiveKeyId);
                    update.Parameters.Add("$value", SqliteType.Blob).Value = Seal(plaintext, _keys.KeyOf(_keys.ActiveKeyId), surrogate);
                    update.Parameters.AddWithValue("$s", surrogate);
                    update.Parameters.AddWithValue("$l", _lookup.Tokenize(Encoding.UTF8.GetString(plaintext)));
                    update.Parameters.AddWithValue("$v", _lookup.ActiveVersion);
                    update.ExecuteNonQuery();
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plaintext);
                }
            }
            transaction.Commit();
            return rows.Count;
        }
    }

    private byte[] KeyOf(string id) =>
        _keys.Keys.TryGetValue(id, out var key)
            ? key
            : throw new InvalidOperationException($"{FileName} holds entries sealed with key '{id}', which is not in the encryption keys of sinew.yaml; add it back until 'sinew keys rotate' has re-sealed the vault");

    private static byte[] Seal(byte[] plaintext, byte[] key, string surrogate)
    {
        var output = new byte[12 + plaintext.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plaintext, output.AsSpan(12, plaintext.Length), output.AsSpan(12 + plaintext.Length), Encoding.UTF8.GetBytes(surrogate));
        return output;
    }

    private static byte[] Open(byte[] sealedValue, byte[] key, string surrogate)
    {
        var plaintext = new byte[sealedValue.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(12, plaintext.Length), sealedValue.AsSpan(12 + plaintext.Length), plaintext, Encoding.UTF8.GetBytes(surrogate));
        return plaintext;
    }

    public void Dispose() => _connection.Dispose();
}
