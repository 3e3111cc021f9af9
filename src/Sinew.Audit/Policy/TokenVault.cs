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
            DataSource = Path.Combine(dataDirectory, "vault.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;
            CREATE TABLE IF NOT EXISTS tokens (surrogate TEXT PRIMARY KEY, lookup TEXT NOT NULL UNIQUE, key_id TEXT NOT NULL, value BLOB NOT NULL, created_at INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
        return new TokenVault(connection, lookup, keys);
    }

    /// <inheritdoc />
    public string Tokenize(string value)
    {
        // The lookup is a keyed hash under every version still held, so a value tokenized before a key rotation keeps its surrogate.
        lock (_lock)
        {
            foreach (var version in _lookup.Versions.OrderDescending())
            {
                using var find = _connection.CreateCommand();
                find.CommandText = "SELECT surrogate FROM tokens WHERE lookup = $l";
                find.Parameters.AddWithValue("$l", _lookup.Tokenize(value, version));
                if (find.ExecuteScalar() is string existing)
                {
                    return existing;
                }
            }
            var surrogate = Prefix + Base32.Encode(RandomNumberGenerator.GetBytes(16));
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO tokens (surrogate, lookup, key_id, value, created_at) VALUES ($s, $l, $k, $v, $t)";
            insert.Parameters.AddWithValue("$s", surrogate);
            insert.Parameters.AddWithValue("$l", _lookup.Tokenize(value));
            insert.Parameters.AddWithValue("$k", _keys.ActiveKeyId);
            insert.Parameters.Add("$v", SqliteType.Blob).Value = Seal(Encoding.UTF8.GetBytes(value), _keys.KeyOf(_keys.ActiveKeyId), surrogate);
            insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
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
            return Encoding.UTF8.GetString(Open((byte[])reader.GetValue(1), _keys.KeyOf(reader.GetString(0)), surrogate));
        }
    }

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
