namespace Sinew.Security.Access;

/// <summary>How a caller proved who it is.</summary>
public enum PrincipalKind
{
    /// <summary>Nothing presented (or nothing valid).</summary>
    Anonymous,

    /// <summary>No <c>security:</c> section and every listener on loopback: everything is allowed.</summary>
    Open,

    /// <summary>A person, by an OIDC bearer token.</summary>
    Person,

    /// <summary>A system, by a Sinew access token or a client certificate.</summary>
    System,

    /// <summary>A system, by an API key.</summary>
    ApiKey,
}

/// <summary>Who is calling and what they may do: roles (people, and systems given one) and scopes (per-system grants).</summary>
public sealed record SinewPrincipal(string Actor, PrincipalKind Kind, IReadOnlySet<string> Roles, IReadOnlySet<string> Scopes)
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    /// <summary>The scope (or role claim) that lets an operator or admin see message bodies.</summary>
    public const string PhiView = "phi:view";

    public static SinewPrincipal Anonymous { get; } = new("anonymous", PrincipalKind.Anonymous, new HashSet<string>(), new HashSet<string>());

    public static SinewPrincipal OpenLoopback { get; } = new("anonymous (open, loopback)", PrincipalKind.Open, new HashSet<string>(), new HashSet<string>());

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    public bool IsOpen => Kind == PrincipalKind.Open;

    public bool HasRole(string role) => IsOpen || Roles.Contains(role);

    public bool HasScope(string scope) => IsOpen || Scopes.Contains(scope);

    /// <summary>Whether the caller may <paramref name="access"/> (<c>read</c> or <c>write</c>) FHIR resources of <paramref name="resourceType"/>: scope <c>fhir:{type}.{access}</c> or <c>fhir:*.{access}</c>.</summary>
    public bool HasFhirScope(string? resourceType, string access) => HasScope($"fhir:*.{access}") || HasScope($"fhir:{resourceType}.{access}");

    /// <summary>The roles as one text for audit records.</summary>
    public string? RoleText => Roles.Count == 0 ? null : string.Join(",", Roles.Order(StringComparer.Ordinal));
}
