using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sinew.Security.Tests;

/// <summary>Builds real JWTs in the test: RSA, EC, HMAC and unsigned, with any header and claims.</summary>
internal static class TestJwt
{
    public static string B64(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static string Build(Dictionary<string, object> header, Dictionary<string, object> claims, Func<byte[], byte[]> sign)
    {
        var input = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Rsa(RSA key, string kid, Dictionary<string, object> claims, string alg = "RS256") =>
        Build(new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid }, claims, data => key.SignData(data, Hash(alg), alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1));

    public static string Ec(ECDsa key, string kid, Dictionary<string, object> claims, string alg = "ES384") =>
        Build(new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid }, claims, data => key.SignData(data, Hash(alg)));

    public static string None(Dictionary<string, object> claims) =>
        B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" })) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims)) + ".";

    /// <summary>The classic key-confusion attack: HS256 keyed with the bytes of the RSA public key the server trusts.</summary>
    public static string Hs256(byte[] secret, string kid, Dictionary<string, object> claims) =>
        Build(new() { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = kid }, claims, data => HMACSHA256.HashData(secret, data));

    public static Dictionary<string, object> Claims(string issuer, string audience, DateTimeOffset now, TimeSpan? expiresIn = null, DateTimeOffset? notBefore = null, params (string Name, object Value)[] extra)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = "user-1",
            ["iat"] = (notBefore ?? now).ToUnixTimeSeconds(),
            ["nbf"] = (notBefore ?? now).ToUnixTimeSeconds(),
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in extra)
        {
            claims[name] = value;
        }
        return claims;
    }

    public static string Jwk(RSA key, string kid)
    {
        var p = key.ExportParameters(false);
        return JsonSerializer.Serialize(new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = B64(p.Modulus), ["e"] = B64(p.Exponent) });
    }

    public static string Jwk(ECDsa key, string kid)
    {
        var p = key.ExportParameters(false);
        var crv = key.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
        return JsonSerializer.Serialize(new Dictionary<string, string> { ["kty"] = "EC", ["kid"] = kid, ["crv"] = crv, ["x"] = B64(p.Q.X), ["y"] = B64(p.Q.Y) });
    }

    private static HashAlgorithmName Hash(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
