using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sinew.Security.Tests;

/// <summary>
/// One real <c>sinew run</c> with a <c>security:</c> section: people from an in-test OIDC provider, two system clients
/// (lab: RSA key as JWK; cabinet: P-384 key as PEM), and a throttled channel. Channels: adt and limited (http), supply (fhir).
/// </summary>
public sealed class SecuredSinew : IAsyncLifetime
{
    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private OidcProvider? _oidc;
    private SinewProcess? _sinew;

    public RSA LabKey { get; } = RSA.Create(2048);

    public ECDsa CabinetKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    internal OidcProvider Oidc => _oidc!;

    internal SinewProcess Sinew => _sinew!;

    public string DataPath => _data.Path;

    public string TokenUrl => new Uri(Sinew.BaseUrl, "/auth/token").ToString();

    public async ValueTask InitializeAsync()
    {
        _oidc = await OidcProvider.StartAsync();
        _config.Write("keys/lab.jwk.json", TestJwt.Jwk(LabKey, "lab-1"));
        _config.Write("keys/cabinet.pem", CabinetKey.ExportSubjectPublicKeyInfoPem());
        _config.Write("sinew.yaml", $"""
            security:
              oidc:
                issuer: {Oidc.Issuer}
                audience: sinew
              clients:
                - id: lab
                  jwk: keys/lab.jwk.json
                  scopes: [channel:adt:send]
                - id: cabinet
                  publicKey: keys/cabinet.pem
                  scopes: [fhir:SupplyDelivery.write, fhir:SupplyDelivery.read]
              throttle:
                channels:
                  limited: {"{"} rate: 1, per: 1h, burst: 2 {"}"}
            """);
        ArchiveChannels.Write(_config, "adt", "limited");
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with an Authorization header (null for none).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? authorization, string? body = null, string contentType = "text/plain", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var response = await Sinew.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>A client assertion for <paramref name="client"/> signed with <paramref name="sign"/>.</summary>
    public static Dictionary<string, object> AssertionClaims(string client, string audience, DateTimeOffset now, TimeSpan? expiresIn = null, string? jti = null) => new()
    {
        ["iss"] = client,
        ["sub"] = client,
        ["aud"] = audience,
        ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(4))).ToUnixTimeSeconds(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
    };

    /// <summary>POSTs a client_credentials request with <paramref name="assertion"/> to <c>/auth/token</c>.</summary>
    public async Task<(int Status, JsonElement Body)> RequestTokenAsync(string assertion, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        using var response = await Sinew.Http.PostAsync("/auth/token", new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<string> LabTokenAsync()
    {
        var (status, body) = await RequestTokenAsync(TestJwt.Rsa(LabKey, "lab-1", AssertionClaims("lab", TokenUrl, DateTimeOffset.UtcNow), "RS384"));
        Assert.Equal(200, status);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Runs <c>sinew apikey …</c> against this instance's data folder.</summary>
    public Task<(int ExitCode, string Output, string Error)> ApiKeyCliAsync(params string[] args) =>
        SinewProcess.RunCliAsync(["apikey", .. args, "--data", _data.Path]);

    public async ValueTask DisposeAsync()
    {
        if (_sinew is not null)
        {
            await _sinew.DisposeAsync();
        }
        if (_oidc is not null)
        {
            await _oidc.DisposeAsync();
        }
        LabKey.Dispose();
        CabinetKey.Dispose();
        _config.Dispose();
        _data.Dispose();
    }
}
