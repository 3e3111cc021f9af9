using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Sinew.Security.ApiKeys;

/// <summary>
/// <c>security.db</c> in the data folder: API keys (SHA-256 of the secret, never the secret) and the client assertion
/// ids (<c>jti</c>) already used, remembered until they expire so a captured assertion cannot be replayed, even after a restart.
/// </summary>
public sealed class SecurityStore : IDisposable
{
    /// <summary>The file name inside the data folder.</summary>
    public const string FileName = "security.db";

    /// <summary>Every key starts with this, so a leaked key is easy to recognise (and to scan for).</summary>
    public const string Prefix = "snw_";

    private readonly string _connectionString;
    private readonly Lock _gate = new();

    private SecurityStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
    }

    /// <summary>Opens (creating when needed, mode 0600) the store in <paramref name="dataDirectory"/>.</summary>
    public static SecurityStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            using var created = OwnerOnlyFile.Create(path, FileMode.CreateNew);
        }
        var store = new SecurityStore(path);
        store.Execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS api_keys(
              id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 BLOB NOT NULL, scopes TEXT NOT NULL, roles TEXT NOT NULL,
              created_at INTEGER NOT NULL, revoked_at INTEGER);
            CREATE TABLE IF NOT EXISTS assertion_ids(client TEXT NOT NULL, jti TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY(client, jti));
            """);
        return store;
    }

    /// <summary>Creates a key; the returned secret is the only copy.</summary>
    public CreatedApiKey CreateKey(string name, IReadOnlyList<string> scopes, IReadOnlyList<string> roles, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = RandomNumberGenerator.GetBytes(32);
        var encoded = System.Buffers.Text.Base64Url.EncodeToString(secret);
        var key = new ApiKey(id, name, scopes, roles, now, null);
        Execute("INSERT INTO api_keys(id, name, secret_sha256, scopes, roles, created_at) VALUES($id, $name, $hash, $scopes, $roles, $at)",
            ("$id", id), ("$name", name), ("$hash", SHA256.HashData(Encoding.ASCII.GetBytes(encoded))), ("$scopes", string.Join(' ', scopes)),
            ("$roles", string.Join(' ', roles)), ("$at", now.ToUnixTimeMilliseconds()));
        return new CreatedApiKey(key, $"{Prefix}{id}_{encoded}");
    }

    public IReadOnlyList<ApiKey> ListKeys()
    {
        lock (_gate)
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, name, scopes, roles, created_at, revoked_at FROM api_keys ORDER BY created_at, id";
            using var reader = command.ExecuteReader();
            var list = new List<ApiKey>();
            while (reader.Read())
            {
                list.Add(Read(reader));
            }
            return list;
        }
    }

    /// <summary>Revokes key <paramref name="id"/>; false when there is no such key or it was revoked already.</summary>
    public bool RevokeKey(string id, DateTimeOffset now) =>
        Execute("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL", ("$id", id), ("$at", now.ToUnixTimeMilliseconds())) == 1;

    /// <summary>The key <paramref name="presented"/> stands for, when it exists, is not revoked and its secret matches.</summary>
    public ApiKey? Verify(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }
        var rest = presented[Prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }
        var id = rest[..separator];
        var secretHash = SHA256.HashData(Encoding.ASCII.GetBytes(rest[(separator + 1)..]));
        lock (_gate)
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, name, scopes, roles, created_at, revoked_at, secret_sha256 FROM api_keys WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            var stored = (byte[])reader.GetValue(6);
            var key = Read(reader);
            return CryptographicOperations.FixedTimeEquals(stored, secretHash) && !key.IsRevoked ? key : null;
        }
    }

    /// <summary>
    /// Records that client <paramref name="client"/> used assertion id <paramref name="jti"/>; false when it was used
    /// before (a replay). Ids whose assertion has expired are forgotten.
    /// </summary>
    public bool TryUseAssertionId(string client, string jti, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        Execute("DELETE FROM assertion_ids WHERE expires_at < $now", ("$now", now.ToUnixTimeMilliseconds()));
        return Execute("INSERT OR IGNORE INTO assertion_ids(client, jti, expires_at) VALUES($client, $jti, $exp)",
            ("$client", client), ("$jti", jti), ("$exp", expiresAt.ToUnixTimeMilliseconds())) == 1;
    }

    public void Dispose()
    {
        // Connections are opened per call and closed at once; nothing is held open.
    }

    private static ApiKey Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), Split(reader.GetString(2)), Split(reader.GetString(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=5000";
        busy.ExecuteNonQuery();
        return connection;
    }

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            return command.ExecuteNonQuery();
        }
    }
}
