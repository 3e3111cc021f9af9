using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sinew.Security.Jwt;

namespace Sinew.Security.Tokens;

/// <summary>
/// The P-256 key Sinew signs its access tokens with: generated on first start into the data folder (mode 0600), so
/// tokens survive a restart and nothing secret is ever in the configuration.
/// </summary>
public sealed class SinewSigningKey
{
    /// <summary>The file name inside the data folder.</summary>
    public const string FileName = "token-signing-key.pem";

    private readonly ECDsa _key;

    private SinewSigningKey(ECDsa key)
    {
        _key = key;
        var parameters = key.ExportParameters(false);
        KeyId = Base64Url.Encode(SHA256.HashData([.. parameters.Q.X!, .. parameters.Q.Y!]).AsSpan(0, 16));
    }

    /// <summary>The <c>kid</c> of tokens this key signs: a hash of the public key.</summary>
    public string KeyId { get; }

    /// <summary>Loads the key from <paramref name="dataDirectory"/>, generating it on first use.</summary>
    public static SinewSigningKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new SinewSigningKey(key);
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(dataDirectory);
        var temporary = path + ".tmp";
        using (var stream = OwnerOnlyFile.Create(temporary, FileMode.Create))
        {
            stream.Write(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: false);
        return new SinewSigningKey(key);
    }

    /// <summary>The public key, for checking the tokens Sinew issued.</summary>
    internal SigningKey Public => new(_key, KeyId, "ES256");

    /// <summary>Signs <paramref name="claims"/> as an ES256 JWT of type <c>at+jwt</c>.</summary>
    public string Sign(IReadOnlyDictionary<string, object> claims)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = KeyId });
        var input = Base64Url.Encode(header) + "." + Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return input + "." + Base64Url.Encode(signature);
    }

    /// <summary>The public key as a JWKS document, for services that accept Sinew's tokens.</summary>
    public string JwksJson()
    {
        var parameters = _key.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = KeyId,
                    ["x"] = Base64Url.Encode(parameters.Q.X), ["y"] = Base64Url.Encode(parameters.Q.Y),
                },
            },
        });
    }
}
