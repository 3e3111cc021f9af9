using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Sinew.Security.Jwt;

/// <summary>A public key that verifies JWS signatures, with the JWK facts (<c>kid</c>, <c>alg</c>, <c>use</c>) that bound its use.</summary>
internal sealed class SigningKey
{
    public SigningKey(AsymmetricAlgorithm key, string? keyId = null, string? algorithm = null)
    {
        Key = key;
        KeyId = keyId;
        Algorithm = algorithm;
    }

    public AsymmetricAlgorithm Key { get; }

    public string? KeyId { get; }

    /// <summary>The only algorithm this key may be used with, when the JWK names one.</summary>
    public string? Algorithm { get; }

    /// <summary>Verifies <paramref name="token"/>'s signature under <paramref name="algorithm"/>; false for any mismatch of key type, curve or algorithm.</summary>
    public bool Verify(JsonWebToken token, string algorithm)
    {
        if (Algorithm is not null && Algorithm != algorithm)
        {
            return false;
        }
        switch (Key)
        {
            case RSA rsa when algorithm.Length == 5 && (algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal)):
                if (rsa.KeySize < 2048)
                {
                    return false;
                }
                var padding = algorithm[0] == 'R' ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss;
                return Hash(algorithm) is { } rsaHash && rsa.VerifyData(token.SigningInput, token.Signature, rsaHash, padding);
            case ECDsa ec when algorithm is "ES256" or "ES384" or "ES512":
                var expectedBits = algorithm switch { "ES256" => 256, "ES384" => 384, _ => 521 };
                return ec.KeySize == expectedBits && Hash(algorithm) is { } ecHash && ec.VerifyData(token.SigningInput, token.Signature, ecHash);
            default:
                return false;
        }
    }

    private static HashAlgorithmName? Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>Reads one JWK (RSA or EC public key); null with <paramref name="error"/> for anything else.</summary>
    public static SigningKey? FromJwk(JsonElement jwk, out string error)
    {
        error = "";
        string? Text(string name) => jwk.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        byte[]? Bytes(string name) => Text(name) is { } t ? Base64Url.TryDecode(t) : null;
        if (Text("use") is { } use && use != "sig")
        {
            error = $"key use '{use}' is not 'sig'";
            return null;
        }
        if (jwk.TryGetProperty("d", out _))
        {
            error = "the JWK holds a private key; register only the public key";
            return null;
        }
        switch (Text("kty"))
        {
            case "RSA":
                if (Bytes("n") is not { } n || Bytes("e") is not { } e)
                {
                    error = "an RSA JWK needs n and e";
                    return null;
                }
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                return new SigningKey(rsa, Text("kid"), Text("alg"));
            case "EC":
                var curve = Text("crv") switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => (ECCurve?)null,
                };
                if (curve is null || Bytes("x") is not { } x || Bytes("y") is not { } y)
                {
                    error = "an EC JWK needs crv (P-256, P-384 or P-521), x and y";
                    return null;
                }
                try
                {
                    var ec = ECDsa.Create(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = x, Y = y } });
                    return new SigningKey(ec, Text("kid"), Text("alg"));
                }
                catch (CryptographicException)
                {
                    error = "the EC JWK is not a point on its curve";
                    return null;
                }
            case { } other:
                error = $"key type '{other}' is not accepted (only RSA and EC public keys)";
                return null;
            default:
                error = "the JWK has no kty";
                return null;
        }
    }

    /// <summary>Reads a JWKS document (<c>{"keys":[…]}</c>) or a single JWK; keys that cannot verify signatures are skipped.</summary>
    public static IReadOnlyList<SigningKey> FromJwks(string json, out string error)
    {
        error = "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? keys.EnumerateArray().ToList()
                : [root];
            var list = new List<SigningKey>();
            foreach (var item in items)
            {
                var itemError = "not a JSON object";
                if (item.ValueKind == JsonValueKind.Object && FromJwk(item, out itemError) is { } key)
                {
                    list.Add(key);
                }
                else if (items.Count == 1)
                {
                    error = "no usable key: " + itemError;
                }
            }
            if (list.Count == 0 && error.Length == 0)
            {
                error = "no usable signing key in the key set";
            }
            return list;
        }
        catch (JsonException ex)
        {
            error = "not JSON: " + ex.Message;
            return [];
        }
    }

    /// <summary>Reads a public key from PEM text (<c>PUBLIC KEY</c>, <c>RSA PUBLIC KEY</c> or <c>CERTIFICATE</c>).</summary>
    public static SigningKey? FromPem(string pem, out string error)
    {
        error = "";
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            error = "the PEM holds a private key; register only the public key";
            return null;
        }
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            if (((AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey()) is { } fromCertificate)
            {
                return new SigningKey(fromCertificate);
            }
            error = "the certificate's key is neither RSA nor EC";
            return null;
        }
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new SigningKey(rsa);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            try
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return new SigningKey(ec);
            }
            catch (Exception inner) when (inner is ArgumentException or CryptographicException)
            {
                error = "no RSA or EC public key in the PEM";
                return null;
            }
        }
    }
}
