namespace Sinew.Security.Jwt;

/// <summary>What a token must satisfy besides its signature: who issued it, for whom, with which algorithms, when.</summary>
internal sealed record JwtRules
{
    /// <summary>Asymmetric algorithms only: no <c>none</c>, no HMAC, so a public key can never be used as a shared secret.</summary>
    public static readonly IReadOnlySet<string> PersonAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
    };

    /// <summary>What SMART backend services allows for client assertions.</summary>
    public static readonly IReadOnlySet<string> ClientAssertionAlgorithms = new HashSet<string>(StringComparer.Ordinal) { "RS384", "ES384" };

    public required IReadOnlySet<string> Algorithms { get; init; }

    public required string Issuer { get; init; }

    /// <summary>The audience the token must name; null to check it elsewhere.</summary>
    public string? Audience { get; init; }

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest a token may still live when presented (client assertions: 5 minutes); null for no bound.</summary>
    public TimeSpan? MaxRemainingLifetime { get; init; }
}
