using System.Net;
using System.Security.Cryptography.X509Certificates;
using Sinew.Engine.Config;
using Sinew.Security.Access;
using Sinew.Security.Jwt;

namespace Sinew.Security;

/// <summary>Reads the <c>security:</c> section of <c>sinew.yaml</c>; every problem names the file, line and setting.</summary>
internal static class SecurityOptionsReader
{
    public static object? Read(ConfigSection? section, string configDirectory)
    {
        if (section is null)
        {
            return SecurityOptions.Open;
        }
        var skew = section.GetDuration("clockSkew", SecurityOptions.MaxClockSkew);
        if (skew > SecurityOptions.MaxClockSkew || skew < TimeSpan.Zero)
        {
            section.Error("clockSkew", "must be from 0s to 2m");
            skew = SecurityOptions.MaxClockSkew;
        }
        var options = new SecurityOptions
        {
            Enforced = true,
            Oidc = section.GetSection("oidc") is { } oidc ? ReadOidc(oidc, configDirectory) : null,
            TokenEndpoint = section.GetSection("tokenEndpoint") is { } endpoint ? ReadTokenEndpoint(endpoint) : new TokenEndpointOptions(),
            Clients = ReadClients(section, configDirectory),
            ApiKeys = section.GetBool("apiKeys", true),
            Https = section.GetSection("https") is { } https ? ReadHttps(https, configDirectory) : null,
            Throttle = section.GetSection("throttle") is { } throttle ? ReadThrottle(throttle) : null,
            AnonymousChannels = section.GetStringList("anonymousChannels"),
            ClockSkew = skew,
        };
        section.ReportUnknown();
        return options;
    }

    /// <summary>https, or http to a loopback host (a local identity provider in development and tests).</summary>
    public static bool IsSecureUrl(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))));

    private static OidcOptions? ReadOidc(ConfigSection oidc, string configDirectory)
    {
        var issuer = oidc.GetString("issuer", required: true);
        var audience = oidc.GetString("audience", required: true);
        var jwksFile = oidc.GetString("jwksFile") is { } file ? Path.GetFullPath(file, configDirectory) : null;
        var rolesClaim = oidc.GetString("rolesClaim", "roles");
        var nameClaim = oidc.GetString("nameClaim", "preferred_username");
        oidc.ReportUnknown();
        if (issuer is null || audience is null)
        {
            return null;
        }
        if (jwksFile is null && (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || !IsSecureUrl(uri)))
        {
            oidc.Error("issuer", $"'{issuer}' must be an https URL (its /.well-known/openid-configuration gives the keys), or give jwksFile");
            return null;
        }
        if (jwksFile is not null)
        {
            if (!File.Exists(jwksFile))
            {
                oidc.Error("jwksFile", $"file '{jwksFile}' does not exist");
                return null;
            }
            if (SigningKey.FromJwks(File.ReadAllText(jwksFile), out var error).Count == 0)
            {
                oidc.Error("jwksFile", $"'{jwksFile}': {error}");
                return null;
            }
        }
        return new OidcOptions { Issuer = issuer, Audience = audience, JwksFile = jwksFile, RolesClaim = rolesClaim, NameClaim = nameClaim };
    }

    private static TokenEndpointOptions ReadTokenEndpoint(ConfigSection endpoint)
    {
        var defaults = new TokenEndpointOptions();
        var url = endpoint.GetString("url");
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            endpoint.Error("url", $"'{url}' must be the absolute URL of /auth/token as clients reach it, e.g. https://sinew.example.org/auth/token");
        }
        var lifetime = endpoint.GetDuration("lifetime", defaults.Lifetime);
        if (lifetime < TimeSpan.FromSeconds(30) || lifetime > TimeSpan.FromHours(1))
        {
            endpoint.Error("lifetime", "must be from 30s to 1h (access tokens are short-lived)");
        }
        var options = new TokenEndpointOptions { Url = url, Lifetime = lifetime, Issuer = endpoint.GetString("issuer", defaults.Issuer) };
        endpoint.ReportUnknown();
        return options;
    }

    private static List<SystemClient> ReadClients(ConfigSection section, string configDirectory)
    {
        var clients = new List<SystemClient>();
        foreach (var item in section.GetSections("clients"))
        {
            var id = item.GetString("id", required: true);
            System.Security.Cryptography.AsymmetricAlgorithm? key = null;
            if (item.GetString("jwk") is { } jwkFile)
            {
                key = ReadKey(item, "jwk", Path.GetFullPath(jwkFile, configDirectory), pem: false);
            }
            if (item.GetString("publicKey") is { } pemFile)
            {
                key = ReadKey(item, "publicKey", Path.GetFullPath(pemFile, configDirectory), pem: true);
            }
            var thumbprint = item.GetString("certificateThumbprint")?.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            var subject = item.GetString("certificateSubject");
            var scopes = item.GetStringList("scopes");
            var roles = item.GetStringList("roles");
            foreach (var problem in scopes.Select(Grants.ScopeProblem).Concat(roles.Select(Grants.RoleProblem)).OfType<string>())
            {
                item.Error(problem.Contains("role", StringComparison.Ordinal) ? "roles" : "scopes", problem);
            }
            item.ReportUnknown();
            if (id is null)
            {
                continue;
            }
            if (key is null && thumbprint is null && subject is null)
            {
                item.Error("id", $"client '{id}' needs a way to prove itself: jwk or publicKey (client assertions) and/or certificateThumbprint or certificateSubject (mutual TLS)");
                continue;
            }
            if (clients.Any(c => c.Id == id))
            {
                item.Error("id", $"client '{id}' is registered twice");
                continue;
            }
            clients.Add(new SystemClient
            {
                Id = id,
                PublicKey = key,
                CertificateThumbprint = thumbprint,
                CertificateSubject = subject,
                Scopes = scopes.ToHashSet(StringComparer.Ordinal),
                Roles = roles.ToHashSet(StringComparer.Ordinal),
            });
        }
        return clients;
    }

    private static System.Security.Cryptography.AsymmetricAlgorithm? ReadKey(ConfigSection item, string setting, string path, bool pem)
    {
        if (!File.Exists(path))
        {
            item.Error(setting, $"file '{path}' does not exist");
            return null;
        }
        var text = File.ReadAllText(path);
        string error;
        var key = pem ? SigningKey.FromPem(text, out error) : SigningKey.FromJwks(text, out error) is { Count: > 0 } keys ? keys[0] : null;
        if (key is null)
        {
            item.Error(setting, $"'{path}': {(error.Length > 0 ? error : "no usable public key")}");
            return null;
        }
        return key.Key;
    }

    private static HttpsOptions? ReadHttps(ConfigSection https, string configDirectory)
    {
        var certificate = https.GetString("certificate", required: true);
        var key = https.GetString("key");
        var authorities = https.GetString("clientCertificateAuthorities");
        https.ReportUnknown();
        if (certificate is null)
        {
            return null;
        }
        try
        {
            var certificatePath = Path.GetFullPath(certificate, configDirectory);
            var loaded = key is null
                ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null)
                : X509Certificate2.CreateFromPemFile(certificatePath, Path.GetFullPath(key, configDirectory));
            if (!loaded.HasPrivateKey)
            {
                https.Error("key", "the certificate has no private key; give key: (PEM) or a PFX with its key");
                return null;
            }
            X509Certificate2Collection? roots = null;
            if (authorities is not null)
            {
                roots = [];
                roots.ImportFromPemFile(Path.GetFullPath(authorities, configDirectory));
                if (roots.Count == 0)
                {
                    https.Error("clientCertificateAuthorities", "the file holds no certificate");
                    return null;
                }
            }
            // Kestrel needs an ephemeral-key-free certificate on some platforms; re-import through PKCS#12 to be safe.
            var usable = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
            return new HttpsOptions { Certificate = usable, ClientCertificateAuthorities = roots };
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            https.Error("certificate", ex.Message);
            return null;
        }
    }

    private static ThrottleOptions ReadThrottle(ConfigSection throttle)
    {
        var channels = new Dictionary<string, RateLimit>(StringComparer.OrdinalIgnoreCase);
        if (throttle.GetSection("channels") is { } named)
        {
            foreach (var name in named.Keys.ToList())
            {
                if (named.GetSection(name, required: true) is { } limit && ReadLimit(limit) is { } parsed)
                {
                    channels[name] = parsed;
                }
            }
            named.ReportUnknown();
        }
        var options = new ThrottleOptions
        {
            PerClient = throttle.GetSection("perClient") is { } perClient ? ReadLimit(perClient) : null,
            PerChannel = throttle.GetSection("perChannel") is { } perChannel ? ReadLimit(perChannel) : null,
            Channels = channels,
        };
        throttle.ReportUnknown();
        return options;
    }

    private static RateLimit? ReadLimit(ConfigSection limit)
    {
        var rate = (int)limit.GetInt("rate", 0, 1, 1_000_000);
        var per = limit.GetDuration("per", TimeSpan.FromSeconds(1));
        var burst = (int)limit.GetInt("burst", rate, 1, 1_000_000);
        limit.ReportUnknown();
        if (!limit.Has("rate"))
        {
            limit.Error("rate", "is required (tokens added per period)");
            return null;
        }
        if (per < TimeSpan.FromMilliseconds(1))
        {
            limit.Error("per", "must be at least 1ms");
            return null;
        }
        return new RateLimit(rate, per, burst);
    }
}
