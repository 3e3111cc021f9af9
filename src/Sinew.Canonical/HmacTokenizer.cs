using System.Security.Cryptography;
using System.Text;

namespace Sinew.Canonical;

/// <summary>
/// Keyed, versioned tokens for linkage: <c>tok:v{version}:{base32(HMAC-SHA256(key, value))[..32]}</c>. The same value gives the
/// same token under one key version, so records stay joinable without the value; whoever holds the key can test a
/// candidate value against a token (pseudonymization, not de-identification). Old versions stay usable to check tokens.
/// </summary>
public sealed class HmacTokenizer : IFieldTokenizer
{
    private const string Prefix = "tok:v";
    private readonly IReadOnlyDictionary<int, byte[]> _keys;

    /// <param name="keys">Every key by version; each at least 32 bytes.</param>
    /// <param name="active">The version new tokens are made with.</param>
    public HmacTokenizer(IReadOnlyDictionary<int, byte[]> keys, int active)
    {
        if (!keys.ContainsKey(active))
        {
            throw new ArgumentException($"the active tokenization key version {active} is not among the keys", nameof(active));
        }
        foreach (var (version, key) in keys)
        {
            if (key.Length < 32)
            {
                throw new ArgumentException($"tokenization key version {version} has {key.Length} bytes; at least 32 are needed", nameof(keys));
            }
        }
        _keys = keys;
        ActiveVersion = active;
    }

    public int ActiveVersion { get; }

    public IEnumerable<int> Versions => _keys.Keys.Order();

    /// <inheritdoc />
    public string Tokenize(string value) => Tokenize(value, ActiveVersion);

    /// <summary>The token of <paramref name="value"/> under key <paramref name="version"/>.</summary>
    public string Tokenize(string value, int version)
    {
        if (!_keys.TryGetValue(version, out var key))
        {
            throw new ArgumentOutOfRangeException(nameof(version), $"no tokenization key version {version}");
        }
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value), mac);
        return $"{Prefix}{version}:{Base32.Encode(mac[..20])}";
    }

    /// <summary>The key version a token was made with, or null when the text is not a keyed token.</summary>
    public static int? VersionOf(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var colon = token.IndexOf(':', Prefix.Length);
        return colon > Prefix.Length && int.TryParse(token.AsSpan(Prefix.Length, colon - Prefix.Length), out var version) ? version : null;
    }

    /// <summary>Whether <paramref name="candidate"/> is the value behind <paramref name="token"/> (any key version still held).</summary>
    public bool Matches(string token, string candidate) =>
        VersionOf(token) is { } version && _keys.ContainsKey(version)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Tokenize(candidate, version)), Encoding.ASCII.GetBytes(token));
}
