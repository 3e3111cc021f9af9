using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sinew.Security.Tests;

/// <summary>A tiny identity provider on loopback: OIDC discovery and a JWKS with one RSA key, whose tokens the test signs.</summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string Kid = "test-rsa-1";
    private readonly WebApplication _app;
    private int _jwksRequests;

    private OidcProvider(WebApplication app, RSA key)
    {
        _app = app;
        Key = key;
    }

    public RSA Key { get; }

    public string Issuer { get; private set; } = "";

    public int JwksRequests => _jwksRequests;

    public static async Task<OidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var provider = new OidcProvider(app, RSA.Create(2048));
        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new { issuer = provider.Issuer, jwks_uri = provider.Issuer + "/protocol/openid-connect/certs" }));
        app.MapGet("/realms/test/protocol/openid-connect/certs", () =>
        {
            Interlocked.Increment(ref provider._jwksRequests);
            return Results.Text("{\"keys\":[" + TestJwt.Jwk(provider.Key, Kid) + "]}", "application/json");
        });
        await app.StartAsync();
        provider.Issuer = app.Urls.First().TrimEnd('/') + "/realms/test";
        return provider;
    }

    /// <summary>A person's token signed by this provider.</summary>
    public string Token(string audience, string[] roles, DateTimeOffset? now = null, TimeSpan? expiresIn = null, DateTimeOffset? notBefore = null, string? issuer = null, string[]? scopes = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var claims = TestJwt.Claims(issuer ?? Issuer, audience, at, expiresIn, notBefore, ("preferred_username", "pat"), ("realm_access", new Dictionary<string, object> { ["roles"] = roles }));
        if (scopes is not null)
        {
            claims["scope"] = string.Join(' ', scopes);
        }
        return TestJwt.Rsa(Key, Kid, claims);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
