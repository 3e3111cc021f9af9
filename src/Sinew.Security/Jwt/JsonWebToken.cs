using System.Text;
using System.Text.Json;

namespace Sinew.Security.Jwt;

/// <summary>A compact JWS split into its parts, its header and claims parsed but nothing verified yet.</summary>
internal sealed class JsonWebToken
{
    private JsonWebToken(JsonElement header, JsonElement claims, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Claims = claims;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonElement Header { get; }

    public JsonElement Claims { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c> the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string Algorithm => HeaderString("alg") ?? "";

    public string? KeyId => HeaderString("kid");

    /// <summary>Parses <paramref name="token"/>; null with <paramref name="error"/> when it is not a well-formed JWS.</summary>
    public static JsonWebToken? TryParse(string token, out string error)
    {
        error = "";
        if (token.Length > 16 * 1024)
        {
            error = "the token is too long";
            return null;
        }
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = parts.Length == 5 ? "encrypted tokens (JWE) are not accepted" : "the token is not a JWS (three dot-separated parts)";
            return null;
        }
        var header = Base64Url.TryDecode(parts[0]);
        var payload = Base64Url.TryDecode(parts[1]);
        var signature = Base64Url.TryDecode(parts[2]);
        if (header is null || payload is null || signature is null)
        {
            error = "the token is not base64url";
            return null;
        }
        try
        {
            using var h = JsonDocument.Parse(header);
            using var c = JsonDocument.Parse(payload);
            if (h.RootElement.ValueKind != JsonValueKind.Object || c.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the token's header and claims must be JSON objects";
                return null;
            }
            return new JsonWebToken(h.RootElement.Clone(), c.RootElement.Clone(), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (JsonException)
        {
            error = "the token's header or claims are not JSON";
            return null;
        }
    }

    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string? ClaimString(string name) =>
        Claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim (seconds since the epoch); null when absent or not a number.</summary>
    public DateTimeOffset? ClaimTime(string name) =>
        Claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary>A claim that is a string or an array of strings (e.g. <c>aud</c>, <c>roles</c>); a dotted name walks into objects.</summary>
    public IReadOnlyList<string> ClaimStrings(string path)
    {
        var current = Claims;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return [];
            }
        }
        return current.ValueKind switch
        {
            JsonValueKind.String => [current.GetString()!],
            JsonValueKind.Array => current.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            _ => [],
        };
    }
}
