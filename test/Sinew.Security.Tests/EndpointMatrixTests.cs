using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sinew.Host;
using Sinew.Security.ApiKeys;

namespace Sinew.Security.Tests;

/// <summary>
/// The role × endpoint matrix: every endpoint the host maps (read from its <see cref="EndpointDataSource"/>, so a new
/// endpoint cannot be forgotten) is called by every kind of caller with real tokens, and must refuse exactly those it should.
/// </summary>
public sealed class EndpointMatrixTests : IAsyncLifetime
{
    private const string Issuer = "https://sso.example.org/realms/hospital";
    private static readonly string[] People = ["admin", "operator", "auditor"];
    private static readonly string[] Operators = ["admin", "operator"];

    /// <summary>Who may call what, written independently of the policy in the code under test.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["GET /health/live"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /health/ready"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["POST /auth/token"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /auth/jwks.json"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /fhir/metadata"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /assets/dashboard.css"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /assets/dashboard.js"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /assets/icon.svg"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /favicon.ico"] = ["anonymous", "admin", "operator", "auditor", "sender"],
        ["GET /metrics"] = People,
        ["* /metrics"] = People,
        ["POST /api/v1/tokens/resolve"] = ["auditor"],
        ["GET /api/v1/apikeys/"] = ["admin"],
        ["POST /api/v1/apikeys/"] = ["admin"],
        ["GET /reports/variance"] = People,
        ["GET /openapi/{documentName}.json"] = People,
        ["GET /api/v1/channels"] = People,
        ["POST /api/v1/channels/{name}/pause"] = Operators,
        ["POST /api/v1/channels/{name}/resume"] = Operators,
        ["GET /api/v1/messages"] = People,
        ["GET /api/v1/messages/{id:long}"] = People,
        ["POST /api/v1/messages/{id:long}/reprocess"] = Operators,
        ["POST /api/v1/messages/{id:long}/discard"] = Operators,
        ["POST /api/v1/messages/reprocess"] = Operators,
        ["GET /api/v1/queues"] = People,
        ["GET /api/v1/sla"] = People,
        ["GET /api/v1/exceptions"] = People,
        ["POST /api/v1/exceptions/{outboxId:long}/discard"] = Operators,
        ["GET /api/v1/reports/inventory-variance"] = People,
        ["GET /api/v1/schemas"] = People,
        ["GET /api/v1/schemas/{name}/{version:int}"] = People,
        ["GET /api/v1/apikeys"] = ["admin"],
        ["POST /api/v1/apikeys"] = ["admin"],
        ["DELETE /api/v1/apikeys/{id}"] = ["admin"],
        ["POST /in/{channel}"] = ["sender"],
        ["POST /fhir/{type}"] = ["sender"],
        ["POST /fhir/"] = ["sender"],
        ["GET /fhir/{type}/{id}"] = ["sender"],
        ["* /fhir/{**rest}"] = ["admin", "operator", "auditor", "sender"],
        ["GET /"] = People,
        ["GET /messages"] = People,
        ["GET /messages/{id:long}"] = People,
        ["GET /messages/{id:long}/edit"] = Operators,
        ["GET /exceptions"] = People,
        ["POST /channels/{name}/pause"] = Operators,
        ["POST /channels/{name}/resume"] = Operators,
        ["POST /messages/{id:long}/reprocess"] = Operators,
        ["POST /messages/{id:long}/discard"] = Operators,
        ["POST /messages/{id:long}/edit"] = Operators,
        ["POST /exceptions/reprocess"] = Operators,
        ["POST /exceptions/discard"] = Operators,
    };

    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private readonly RSA _idp = RSA.Create(2048);
    private WebApplication? _app;
    private HttpClient? _http;
    private readonly Dictionary<string, string?> _callers = [];

    public async ValueTask InitializeAsync()
    {
        _config.Write("keys/jwks.json", "{\"keys\":[" + TestJwt.Jwk(_idp, "k1") + "]}");
        _config.Write("sinew.yaml", $"""
            security:
              oidc:
                issuer: {Issuer}
                audience: sinew
                jwksFile: keys/jwks.json
            """);
        _config.Write("channels/adt.yaml", "name: adt\nsource:\n  type: http\ndestinations:\n  - name: archive\n    type: file\n    maxSensitivity: phi\n    path: out/adt\n");
        _config.Write("channels/supply.yaml", "name: supply\nsource:\n  type: fhir\n  resources: [SupplyDelivery]\ndestinations:\n  - name: archive\n    type: file\n    maxSensitivity: phi\n    path: out/supply\n");
        _app = SinewApp.Build(new SinewRunOptions { ConfigDirectory = _config.Path, DataDirectory = _data.Path, HttpListen = "127.0.0.1:0" });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(SinewApp.Addresses(_app).First()) };
        var now = DateTimeOffset.UtcNow;
        _callers["anonymous"] = null;
        foreach (var role in People)
        {
            _callers[role] = "Bearer " + TestJwt.Rsa(_idp, "k1", TestJwt.Claims(Issuer, "sinew", now, TimeSpan.FromMinutes(30), extra: ("roles", new[] { role })));
        }
        using var store = SecurityStore.Open(_data.Path);
        _callers["sender"] = "ApiKey " + store.CreateKey("sender", ["channel:adt:send", "fhir:SupplyDelivery.write", "fhir:SupplyDelivery.read"], [], now).Secret;
    }

    [Fact]
    public async Task EveryEndpoint_RefusesEveryCallerItShould_AndAdmitsTheOthers()
    {
        var endpoints = _app!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText ?? "")))
            .Distinct().ToList();
        Assert.True(endpoints.Count >= 40, $"only {endpoints.Count} endpoints found");
        var problems = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var key = $"{method} {pattern}";
            var allowed = Expected.GetValueOrDefault(key)
                ?? (pattern.StartsWith("/fhir/AuditEvent", StringComparison.Ordinal) || pattern.StartsWith("/api/v1/audit", StringComparison.Ordinal) ? ["auditor"] : null);
            if (allowed is null)
            {
                problems.Add($"{key}: not in the matrix; add it to Expected (and to AccessPolicy) with who may call it");
                continue;
            }
            foreach (var (caller, authorization) in _callers)
            {
                var (status, body) = await CallAsync(method == "*" ? "GET" : method, pattern, authorization);
                var denied = status == 401 || (status == 403 && body.Contains("may not", StringComparison.Ordinal));
                if (denied == allowed.Contains(caller))
                {
                    problems.Add($"{key} as {caller}: {status} ({(denied ? "refused, should be allowed" : "allowed, should be refused")})");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private async Task<(int Status, string Body)> CallAsync(string method, string pattern, string? authorization)
    {
        var path = pattern
            .Replace("{channel}", "adt", StringComparison.Ordinal).Replace("{type}", "SupplyDelivery", StringComparison.Ordinal)
            .Replace("{id:long}", "1", StringComparison.Ordinal).Replace("{id}", "1", StringComparison.Ordinal).Replace("{name}", "adt", StringComparison.Ordinal)
            .Replace("{outboxId:long}", "1", StringComparison.Ordinal).Replace("{version:int}", "1", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal).Replace("{**rest}", "Patient/1/_history", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        using var response = await _http!.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _idp.Dispose();
        _config.Dispose();
        _data.Dispose();
    }
}
