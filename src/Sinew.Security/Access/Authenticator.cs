using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Sinew.Security.ApiKeys;
using Sinew.Security.Jwt;
using Sinew.Security.Tokens;

namespace Sinew.Security.Access;

/// <summary>
/// Finds out who sent a request: a bearer token (Sinew's own access token, or a person's OIDC token), an API key
/// (<c>Authorization: ApiKey …</c> or <c>X-API-Key</c>), or a client certificate registered to a system client.
/// </summary>
internal sealed class Authenticator(SecurityOptions options, SinewSigningKey signingKey, SecurityStore store, IssuerKeys? issuerKeys, TimeProvider clock)
{
    /// <summary>The caller, or <see cref="SinewPrincipal.Anonymous"/> with why nothing presented was accepted.</summary>
    public async ValueTask<(SinewPrincipal Principal, string? Failure)> AuthenticateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (IsBearer(authorization))
        {
            return await FromBearerAsync(authorization["Bearer ".Length..].Trim(), cancellationToken);
        }
        var apiKey = authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? authorization["ApiKey ".Length..].Trim() : http.Request.Headers["X-API-Key"].ToString();
        if (apiKey.Length > 0)
        {
            if (!options.ApiKeys)
            {
                return (SinewPrincipal.Anonymous, "API keys are turned off (security.apiKeys: false)");
            }
            return store.Verify(apiKey) is { } key
                ? (new SinewPrincipal("apikey:" + key.Id, PrincipalKind.ApiKey, key.Roles.ToHashSet(), key.Scopes.ToHashSet()), null)
                : (SinewPrincipal.Anonymous, "unknown or revoked API key");
        }
        if (authorization.Length > 0)
        {
            return (SinewPrincipal.Anonymous, "unsupported Authorization scheme (use Bearer or ApiKey)");
        }
        if (http.Connection.ClientCertificate is { } certificate)
        {
            return FromCertificate(options, certificate) is { } principal ? (principal, null) : (SinewPrincipal.Anonymous, "the client certificate is not registered to any client");
        }
        return (SinewPrincipal.Anonymous, null);
    }

    /// <summary>Whether an <c>Authorization</c> header value presents a bearer token.</summary>
    public static bool IsBearer(string authorization) => authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The system client a (already chain-validated) certificate belongs to, as a principal.</summary>
    public static SinewPrincipal? FromCertificate(SecurityOptions options, X509Certificate2 certificate)
    {
        var sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var sha1 = certificate.Thumbprint;
        var client = options.Clients.FirstOrDefault(c =>
            (c.CertificateThumbprint is { } t && (string.Equals(t, sha256, StringComparison.OrdinalIgnoreCase) || string.Equals(t, sha1, StringComparison.OrdinalIgnoreCase)))
            || (c.CertificateSubject is { } s && string.Equals(s, certificate.Subject, StringComparison.Ordinal)));
        return client is null ? null : new SinewPrincipal(client.Id, PrincipalKind.System, client.Roles, client.Scopes);
    }

    private async ValueTask<(SinewPrincipal, string?)> FromBearerAsync(string token, CancellationToken cancellationToken)
    {
        var peek = JsonWebToken.TryParse(token, out var parseError);
        if (peek is null)
        {
            return (SinewPrincipal.Anonymous, parseError);
        }
        var now = clock.GetUtcNow();
        if (peek.ClaimString("iss") == options.TokenEndpoint.Issuer)
        {
            IReadOnlyList<SigningKey> own = [signingKey.Public];
            var rules = new JwtRules { Algorithms = new HashSet<string> { "ES256" }, Issuer = options.TokenEndpoint.Issuer, Audience = TokenEndpoint.SinewAudience, ClockSkew = options.ClockSkew };
            var result = await JwtValidator.ValidateAsync(token, rules, (_, _, _) => ValueTask.FromResult(own), now, cancellationToken);
            if (result.Token is not { } jwt)
            {
                return (SinewPrincipal.Anonymous, result.Error);
            }
            var client = jwt.ClaimString("sub") ?? "unknown";
            return (new SinewPrincipal(client, PrincipalKind.System, jwt.ClaimStrings("roles").ToHashSet(), Scopes(jwt)), null);
        }
        if (options.Oidc is not { } oidc || issuerKeys is null)
        {
            return (SinewPrincipal.Anonymous, "no identity provider is configured for people's tokens (security.oidc)");
        }
        var personRules = new JwtRules { Algorithms = JwtRules.PersonAlgorithms, Issuer = oidc.Issuer, Audience = oidc.Audience, ClockSkew = options.ClockSkew };
        var person = await JwtValidator.ValidateAsync(token, personRules, issuerKeys.GetAsync, now, cancellationToken);
        if (person.Token is not { } personToken)
        {
            return (SinewPrincipal.Anonymous, person.Error);
        }
        var roles = personToken.ClaimStrings(oidc.RolesClaim).Concat(personToken.ClaimStrings("realm_access.roles")).ToHashSet(StringComparer.Ordinal);
        var scopes = Scopes(personToken);
        if (roles.Contains(SinewPrincipal.PhiView))
        {
            scopes.Add(SinewPrincipal.PhiView);
        }
        var name = personToken.ClaimString(oidc.NameClaim) ?? personToken.ClaimString("sub") ?? "unknown";
        return (new SinewPrincipal(name, PrincipalKind.Person, roles, scopes), null);
    }

    private static HashSet<string> Scopes(JsonWebToken token) =>
        token.ClaimStrings("scope").SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Concat(token.ClaimStrings("scp")).ToHashSet(StringComparer.Ordinal);
}
