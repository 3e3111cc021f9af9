using System.Text;
using System.Text.Json;

namespace Sinew.Security.Tests;

/// <summary>People's OIDC bearer tokens, built and signed in the test, against the real <c>sinew run</c>.</summary>
public sealed class PersonTokenTests(SecuredSinew sinew) : IClassFixture<SecuredSinew>
{
    private const string Channels = "/api/v1/channels";

    private Task<(int Status, string Body, HttpResponseMessage Response)> GetChannelsAsync(string token) =>
        sinew.SendAsync(HttpMethod.Get, Channels, "Bearer " + token);

    [Fact]
    public async Task ValidToken_OperatorRoleFromKeycloakRealmRoles_Allowed()
    {
        var (status, _, _) = await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"]));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task NoToken_Refused401_WithBearerChallenge()
    {
        var (status, _, response) = await sinew.SendAsync(HttpMethod.Get, Channels, null);
        Assert.Equal(401, status);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_Refused()
    {
        var (status, body, response) = await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], now: DateTimeOffset.UtcNow.AddMinutes(-20), expiresIn: TimeSpan.FromMinutes(10)));
        Assert.Equal(401, status);
        Assert.Contains("expired", body, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAudience_Refused()
    {
        var (status, body, _) = await GetChannelsAsync(sinew.Oidc.Token("another-app", ["operator"]));
        Assert.Equal(401, status);
        Assert.Contains("audience", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongIssuer_SameKey_Refused()
    {
        var (status, body, _) = await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], issuer: "https://evil.example.org/realms/test"));
        Assert.Equal(401, status);
        Assert.Contains("issuer", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlgNone_Refused()
    {
        var claims = TestJwt.Claims(sinew.Oidc.Issuer, "sinew", DateTimeOffset.UtcNow, extra: ("realm_access", new Dictionary<string, object> { ["roles"] = new[] { "admin" } }));
        var (status, body, _) = await GetChannelsAsync(TestJwt.None(claims));
        Assert.Equal(401, status);
        Assert.Contains("alg none", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hs256SignedWithTheRsaPublicKey_KeyConfusion_Refused()
    {
        var claims = TestJwt.Claims(sinew.Oidc.Issuer, "sinew", DateTimeOffset.UtcNow, extra: ("realm_access", new Dictionary<string, object> { ["roles"] = new[] { "admin" } }));
        foreach (var secret in new[] { sinew.Oidc.Key.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(sinew.Oidc.Key.ExportSubjectPublicKeyInfoPem()), Encoding.UTF8.GetBytes(TestJwt.Jwk(sinew.Oidc.Key, OidcProvider.Kid)) })
        {
            var (status, body, _) = await GetChannelsAsync(TestJwt.Hs256(secret, OidcProvider.Kid, claims));
            Assert.Equal(401, status);
            Assert.Contains("HMAC", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignedByAnotherKeyWithTheSameKid_Refused()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var claims = TestJwt.Claims(sinew.Oidc.Issuer, "sinew", DateTimeOffset.UtcNow, extra: ("realm_access", new Dictionary<string, object> { ["roles"] = new[] { "admin" } }));
        var (status, _, _) = await GetChannelsAsync(TestJwt.Rsa(other, OidcProvider.Kid, claims));
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task ClockSkew_OneMinuteAccepted_ThreeMinutesRefused()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(200, (await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], notBefore: now.AddMinutes(1)))).Status);
        Assert.Equal(401, (await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], notBefore: now.AddMinutes(3)))).Status);
        Assert.Equal(200, (await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], now: now.AddMinutes(-11), expiresIn: TimeSpan.FromMinutes(10)))).Status);
        Assert.Equal(401, (await GetChannelsAsync(sinew.Oidc.Token("sinew", ["operator"], now: now.AddMinutes(-13), expiresIn: TimeSpan.FromMinutes(10)))).Status);
    }

    [Fact]
    public async Task Auditor_MayNotPause_OperatorMay()
    {
        var (denied, body, _) = await sinew.SendAsync(HttpMethod.Post, "/api/v1/channels/adt/pause", "Bearer " + sinew.Oidc.Token("sinew", ["auditor"]));
        Assert.Equal(403, denied);
        Assert.Contains("may not", body, StringComparison.Ordinal);
        var token = "Bearer " + sinew.Oidc.Token("sinew", ["operator"]);
        Assert.Equal(200, (await sinew.SendAsync(HttpMethod.Post, "/api/v1/channels/adt/pause", token)).Status);
        Assert.Equal(200, (await sinew.SendAsync(HttpMethod.Post, "/api/v1/channels/adt/resume", token)).Status);
    }

    [Fact]
    public async Task MessageBody_MaskedForOperator_ShownWithPhiView_AndToAnAuditorWithAReason()
    {
        var lab = await sinew.LabTokenAsync();
        var (sent, sentBody, _) = await sinew.SendAsync(HttpMethod.Post, "/in/adt", "Bearer " + lab, "MSH|^~\\&|LAB|H|SINEW|H|20260101||ADT^A01|BODY-1|P|2.5\rPID|1||CANARY-BODY-123||Doe^Jane");
        Assert.Equal(202, sent);
        var id = JsonDocument.Parse(sentBody).RootElement.GetProperty("messageId").GetInt64();
        var path = $"/api/v1/messages/{id}";

        var (_, masked, maskedResponse) = await sinew.SendAsync(HttpMethod.Get, path, "Bearer " + sinew.Oidc.Token("sinew", ["operator"]));
        Assert.DoesNotContain("CANARY-BODY-123", masked, StringComparison.Ordinal);
        Assert.Equal("masked", maskedResponse.Headers.GetValues("X-Sinew-Body").Single());

        var (_, shown, _) = await sinew.SendAsync(HttpMethod.Get, path, "Bearer " + sinew.Oidc.Token("sinew", ["operator"], scopes: ["phi:view"]));
        Assert.Contains("CANARY-BODY-123", shown, StringComparison.Ordinal);

        var auditor = "Bearer " + sinew.Oidc.Token("sinew", ["auditor"]);
        Assert.DoesNotContain("CANARY-BODY-123", (await sinew.SendAsync(HttpMethod.Get, path, auditor)).Body, StringComparison.Ordinal);
        Assert.Contains("CANARY-BODY-123", (await sinew.SendAsync(HttpMethod.Get, path, auditor, headers: ("X-Sinew-Reason", "complaint 4711"))).Body, StringComparison.Ordinal);

        var (_, page, _) = await sinew.SendAsync(HttpMethod.Get, $"/messages/{id}", "Bearer " + sinew.Oidc.Token("sinew", ["operator"]));
        Assert.DoesNotContain("CANARY-BODY-123", page, StringComparison.Ordinal);
        Assert.Contains("body-masked", page, StringComparison.Ordinal);
    }
}
