using System.Security.Cryptography;

namespace Sinew.Security.Tests;

/// <summary>SMART backend services at <c>POST /auth/token</c>, and API keys, against the real <c>sinew run</c>.</summary>
public sealed class SystemClientTests(SecuredSinew sinew) : IClassFixture<SecuredSinew>
{
    private const string Hl7 = "MSH|^~\\&|LAB|H|SINEW|H|20260101||ADT^A01|C1|P|2.5\rPID|1||123";

    [Fact]
    public async Task Rs384Assertion_GetsAToken_ThatSendsOnItsChannelOnly()
    {
        var token = "Bearer " + await sinew.LabTokenAsync();
        Assert.Equal(202, (await sinew.SendAsync(HttpMethod.Post, "/in/adt", token, Hl7)).Status);
        var (status, body, _) = await sinew.SendAsync(HttpMethod.Post, "/in/limited", token, Hl7);
        Assert.Equal(403, status);
        Assert.Contains("channel:limited:send", body, StringComparison.Ordinal);
        Assert.Equal(403, (await sinew.SendAsync(HttpMethod.Get, "/api/v1/channels", token)).Status);
    }

    [Fact]
    public async Task Es384Assertion_FromAPemKey_WritesSupplyDelivery()
    {
        var (status, body) = await sinew.RequestTokenAsync(TestJwt.Ec(sinew.CabinetKey, "c1", SecuredSinew.AssertionClaims("cabinet", sinew.TokenUrl, DateTimeOffset.UtcNow)));
        Assert.Equal(200, status);
        Assert.Equal("fhir:SupplyDelivery.read fhir:SupplyDelivery.write", body.GetProperty("scope").GetString());
        var token = "Bearer " + body.GetProperty("access_token").GetString();
        var delivery = """{"resourceType":"SupplyDelivery","status":"completed","suppliedItem":{"quantity":{"value":2},"itemCodeableConcept":{"coding":[{"code":"SUP-1"}]}},"occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}""";
        Assert.Equal(201, (await sinew.SendAsync(HttpMethod.Post, "/fhir/SupplyDelivery", token, delivery, "application/fhir+json")).Status);
        var (refused, outcome, _) = await sinew.SendAsync(HttpMethod.Post, "/in/adt", token, Hl7);
        Assert.Equal(403, refused);
        Assert.Contains("channel:adt:send", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedJti_Refused()
    {
        var assertion = TestJwt.Rsa(sinew.LabKey, "lab-1", SecuredSinew.AssertionClaims("lab", sinew.TokenUrl, DateTimeOffset.UtcNow), "RS384");
        Assert.Equal(200, (await sinew.RequestTokenAsync(assertion)).Status);
        var (status, body) = await sinew.RequestTokenAsync(assertion);
        Assert.Equal(401, status);
        Assert.Contains("replay", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exp-too-far")]
    [InlineData("wrong-aud")]
    [InlineData("rs256")]
    [InlineData("unknown-client")]
    [InlineData("wrong-key")]
    [InlineData("expired")]
    [InlineData("no-jti")]
    public async Task BadAssertion_Refused(string flaw)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = SecuredSinew.AssertionClaims(flaw == "unknown-client" ? "stranger" : "lab", flaw == "wrong-aud" ? "https://elsewhere.example.org/token" : sinew.TokenUrl, now,
            flaw switch { "exp-too-far" => TimeSpan.FromMinutes(10), "expired" => TimeSpan.FromMinutes(-5), _ => null });
        if (flaw == "no-jti")
        {
            claims.Remove("jti");
        }
        using var stranger = RSA.Create(2048);
        var assertion = TestJwt.Rsa(flaw == "wrong-key" ? stranger : sinew.LabKey, "lab-1", claims, flaw == "rs256" ? "RS256" : "RS384");
        var (status, body) = await sinew.RequestTokenAsync(assertion);
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ApiKey_CreatedOnce_Scoped_Revocable_StoredOnlyAsAHash()
    {
        var (code, output, error) = await sinew.ApiKeyCliAsync("create", "--name", "pharmacy", "--scope", "channel:adt:send");
        Assert.True(code == 0, error);
        var key = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("snw_", StringComparison.Ordinal));
        var id = key.Split('_')[1];

        Assert.Equal(202, (await sinew.SendAsync(HttpMethod.Post, "/in/adt", "ApiKey " + key, Hl7)).Status);
        Assert.Equal(202, (await sinew.SendAsync(HttpMethod.Post, "/in/adt", null, Hl7, headers: ("X-API-Key", key))).Status);
        Assert.Equal(403, (await sinew.SendAsync(HttpMethod.Post, "/in/limited", "ApiKey " + key, Hl7)).Status);
        Assert.Equal(401, (await sinew.SendAsync(HttpMethod.Post, "/in/adt", "ApiKey " + key[..^2] + "xx", Hl7)).Status);

        var (_, listed, _) = await sinew.ApiKeyCliAsync("list");
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('_', 3)[2], listed, StringComparison.Ordinal);
        var stored = await File.ReadAllBytesAsync(Path.Combine(sinew.DataPath, "security.db"));
        Assert.DoesNotContain(key.Split('_', 3)[2], System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);

        Assert.Equal(0, (await sinew.ApiKeyCliAsync("revoke", id)).ExitCode);
        Assert.Equal(401, (await sinew.SendAsync(HttpMethod.Post, "/in/adt", "ApiKey " + key, Hl7)).Status);
    }

    [Fact]
    public async Task ApiKeys_ThroughTheAdminApi_AdminsOnly()
    {
        var body = """{"name":"cabinet-2","scopes":["fhir:SupplyDelivery.write"]}""";
        Assert.Equal(403, (await sinew.SendAsync(HttpMethod.Post, "/api/v1/apikeys", "Bearer " + sinew.Oidc.Token("sinew", ["operator"]), body, "application/json")).Status);
        var (status, created, _) = await sinew.SendAsync(HttpMethod.Post, "/api/v1/apikeys", "Bearer " + sinew.Oidc.Token("sinew", ["admin"]), body, "application/json");
        Assert.Equal(201, status);
        Assert.Contains("snw_", created, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_429WithRetryAfter_AndCountedInMetrics()
    {
        var (_, output, _) = await sinew.ApiKeyCliAsync("create", "--name", "flood", "--scope", "channel:limited:send");
        var key = "ApiKey " + output.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("snw_", StringComparison.Ordinal));
        var statuses = new List<int>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            var (status, _, response) = await sinew.SendAsync(HttpMethod.Post, "/in/limited", key, Hl7);
            statuses.Add(status);
            last = response;
        }
        Assert.Equal([202, 202, 429], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var (_, metrics, _) = await sinew.SendAsync(HttpMethod.Get, "/metrics", "Bearer " + sinew.Oidc.Token("sinew", ["operator"]));
        Assert.Contains("sinew_throttled", metrics, StringComparison.Ordinal);
        Assert.Contains("channel=\"limited\"", metrics, StringComparison.Ordinal);
    }
}
