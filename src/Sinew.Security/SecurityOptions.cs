namespace Sinew.Security;

/// <summary>
/// The <c>security:</c> section of <c>sinew.yaml</c>. Absent, Sinew runs open, which it allows only while every
/// listener is on loopback; present, every endpoint but health, FHIR metadata and the token endpoint needs an identity.
/// </summary>
public sealed record SecurityOptions
{
    /// <summary>No <c>security:</c> section: open, loopback only.</summary>
    public static SecurityOptions Open { get; } = new() { Enforced = false };

    /// <summary>True when a <c>security:</c> section is present: requests and MLLP senders must authenticate.</summary>
    public bool Enforced { get; init; }

    /// <summary>OpenID Connect / JWT bearer for people; null when people do not sign in with tokens.</summary>
    public OidcOptions? Oidc { get; init; }

    /// <summary>Sinew as the token endpoint for its own system clients (SMART backend services).</summary>
    public TokenEndpointOptions TokenEndpoint { get; init; } = new();

    /// <summary>Systems: keys for client assertions and/or certificates for mutual TLS, and what each may do.</summary>
    public IReadOnlyList<SystemClient> Clients { get; init; } = [];

    /// <summary>Whether API keys (kept hashed in <c>security.db</c>) are accepted.</summary>
    public bool ApiKeys { get; init; } = true;

    /// <summary>TLS (and optionally client certificates) on the HTTP listener; null for plain HTTP.</summary>
    public HttpsOptions? Https { get; init; }

    /// <summary>Rate limits per client and per channel; null for none.</summary>
    public ThrottleOptions? Throttle { get; init; }

    /// <summary>Channels that take messages from unauthenticated senders even with security on (loopback listeners only).</summary>
    public IReadOnlyList<string> AnonymousChannels { get; init; } = [];

    /// <summary>The largest clock difference tolerated on token times; never more than two minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The most clock difference any setting may allow.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);
}

/// <summary>Where people's tokens come from and what they must say.</summary>
public sealed record OidcOptions
{
    /// <summary>The <c>iss</c> every token must carry exactly, e.g. <c>https://sso.example.org/realms/hospital</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The <c>aud</c> every token must include, e.g. <c>sinew</c>.</summary>
    public required string Audience { get; init; }

    /// <summary>A JWKS file to trust instead of the issuer's discovery document; null to use discovery.</summary>
    public string? JwksFile { get; init; }

    /// <summary>The claim holding role names (dots walk into objects, e.g. <c>realm_access.roles</c>); <c>realm_access.roles</c> is always read too.</summary>
    public string RolesClaim { get; init; } = "roles";

    /// <summary>Which claim names the person in logs and audit records.</summary>
    public string NameClaim { get; init; } = "preferred_username";
}

/// <summary>Sinew's own token endpoint (<c>POST /auth/token</c>).</summary>
public sealed record TokenEndpointOptions
{
    /// <summary>The URL clients put in their assertion's <c>aud</c>; null to use the URL the request arrived on.</summary>
    public string? Url { get; init; }

    /// <summary>How long an access token Sinew issues lives.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>iss</c> of tokens Sinew issues.</summary>
    public string Issuer { get; init; } = "urn:sinew";
}

/// <summary>A system allowed to call Sinew: by client assertion (its public key), by client certificate, or both.</summary>
public sealed record SystemClient
{
    public required string Id { get; init; }

    /// <summary>The client's public key for RS384/ES384 client assertions; null when it only uses mutual TLS.</summary>
    public System.Security.Cryptography.AsymmetricAlgorithm? PublicKey { get; init; }

    /// <summary>SHA-256 (or SHA-1) thumbprint of the client certificate, hex; null when not matched by thumbprint.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>Exact subject of the client certificate (e.g. <c>CN=lab, O=Hospital</c>); null when not matched by subject.</summary>
    public string? CertificateSubject { get; init; }

    public IReadOnlySet<string> Scopes { get; init; } = new HashSet<string>();

    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();
}

/// <summary>TLS on the HTTP listener (use an <c>https://</c> <c>http.listen</c>).</summary>
public sealed record HttpsOptions
{
    public required System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; init; }

    /// <summary>The only roots client certificates may chain to; null when clients are not asked for one.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? ClientCertificateAuthorities { get; init; }
}

/// <summary>Token buckets: one per client and one per channel, each refilled at a steady rate.</summary>
public sealed record ThrottleOptions
{
    public RateLimit? PerClient { get; init; }

    public RateLimit? PerChannel { get; init; }

    /// <summary>Limits of named channels, in place of <see cref="PerChannel"/>.</summary>
    public IReadOnlyDictionary<string, RateLimit> Channels { get; init; } = new Dictionary<string, RateLimit>();
}

/// <summary><paramref name="Rate"/> requests or messages per <paramref name="Per"/>, with bursts up to <paramref name="Burst"/>.</summary>
public sealed record RateLimit(int Rate, TimeSpan Per, int Burst);
