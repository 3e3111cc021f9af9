using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Sinew.Core.Audit;
using Sinew.Security.ApiKeys;
using Sinew.Security.Jwt;

namespace Sinew.Security.Tokens;

/// <summary>
/// <c>POST /auth/token</c>: SMART backend services client credentials. A registered system proves who it is with a
/// JWT signed by its own key (RS384 or ES384, <c>iss</c> = <c>sub</c> = client id, <c>aud</c> = this endpoint,
/// <c>exp</c> at most 5 minutes ahead, a <c>jti</c> never seen before) and gets a short-lived Sinew access token
/// carrying the scopes it was registered with.
/// </summary>
internal sealed class TokenEndpoint(SecurityOptions options, SinewSigningKey signingKey, SecurityStore store, IAuditLog audit, TimeProvider clock)
{
    public const string Path = "/auth/token";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error("invalid_request", "send application/x-www-form-urlencoded");
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (form["grant_type"] != "client_credentials")
        {
            return Error("unsupported_grant_type", "grant_type must be client_credentials");
        }
        if (form["client_assertion_type"] != AssertionType)
        {
            return Error("invalid_request", $"client_assertion_type must be {AssertionType}");
        }
        var assertion = form["client_assertion"].ToString();
        var peek = JsonWebToken.TryParse(assertion, out var parseError);
        var clientId = peek?.ClaimString("iss");
        var client = options.Clients.FirstOrDefault(c => c.Id == clientId && c.PublicKey is not null);
        if (peek is null || client is null)
        {
            return await RefuseAsync(http, clientId, peek is null ? parseError : "unknown client", cancellationToken);
        }
        if (form["client_id"] is { Count: > 0 } given && given != client.Id)
        {
            return await RefuseAsync(http, client.Id, "client_id does not match the assertion's issuer", cancellationToken);
        }
        var audience = options.TokenEndpoint.Url ?? $"{http.Request.Scheme}://{http.Request.Host}{Path}";
        var rules = new JwtRules
        {
            Algorithms = JwtRules.ClientAssertionAlgorithms,
            Issuer = client.Id,
            Audience = audience,
            ClockSkew = options.ClockSkew,
            MaxRemainingLifetime = TimeSpan.FromMinutes(5),
        };
        var now = clock.GetUtcNow();
        IReadOnlyList<SigningKey> keys = [new SigningKey(client.PublicKey!)];
        var result = await JwtValidator.ValidateAsync(assertion, rules, (_, _, _) => ValueTask.FromResult(keys), now, cancellationToken);
        if (result.Token is not { } token)
        {
            return await RefuseAsync(http, client.Id, result.Error!, cancellationToken);
        }
        if (token.ClaimString("sub") != client.Id)
        {
            return await RefuseAsync(http, client.Id, "sub must equal iss (the client id)", cancellationToken);
        }
        if (token.ClaimString("jti") is not { Length: > 0 and <= 256 } jti)
        {
            return await RefuseAsync(http, client.Id, "the assertion has no jti", cancellationToken);
        }
        if (!store.TryUseAssertionId(client.Id, jti, token.ClaimTime("exp")!.Value + options.ClockSkew, now))
        {
            return await RefuseAsync(http, client.Id, "the assertion's jti was used before (replay)", cancellationToken);
        }
        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = requested.Where(s => !client.Scopes.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            return Error("invalid_scope", $"client '{client.Id}' is not registered for: {string.Join(' ', unknown)}");
        }
        var scopes = requested.Length > 0 ? requested : client.Scopes.Order(StringComparer.Ordinal).ToArray();
        var lifetime = options.TokenEndpoint.Lifetime;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = options.TokenEndpoint.Issuer,
            ["aud"] = SinewAudience,
            ["sub"] = client.Id,
            ["client_id"] = client.Id,
            ["scope"] = string.Join(' ', scopes),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        if (client.Roles.Count > 0)
        {
            claims["roles"] = client.Roles.Order(StringComparer.Ordinal).ToArray();
        }
        await audit.WriteAsync(new AuditRecord { Action = "auth.token-issued", Actor = client.Id, Target = "token", Source = http.Connection.RemoteIpAddress?.ToString() }, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["access_token"] = signingKey.Sign(claims),
            ["token_type"] = "bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["scope"] = string.Join(' ', scopes),
        });
    }

    /// <summary>The <c>aud</c> of the access tokens Sinew issues for itself.</summary>
    public const string SinewAudience = "sinew";

    private async Task<IResult> RefuseAsync(HttpContext http, string? clientId, string reason, CancellationToken cancellationToken)
    {
        await audit.WriteAsync(new AuditRecord
        {
            Action = "auth.login-failed",
            Actor = clientId is { Length: > 0 and <= 128 } ? clientId : "unknown",
            Target = "token",
            Outcome = "denied",
            Reason = reason,
            Source = http.Connection.RemoteIpAddress?.ToString(),
        }, cancellationToken);
        return TypedResults.Json(new Dictionary<string, string> { ["error"] = "invalid_client", ["error_description"] = reason }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private static IResult Error(string error, string description) =>
        TypedResults.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: StatusCodes.Status400BadRequest);
}
