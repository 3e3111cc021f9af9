namespace Sinew.Security.ApiKeys;

/// <summary>An API key as listed: never the secret, which is shown once at creation and kept only as a SHA-256 hash.</summary>
public sealed record ApiKey(
    string Id, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A key just created: <see cref="Secret"/> is the whole key to hand to the system, printed this once.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
