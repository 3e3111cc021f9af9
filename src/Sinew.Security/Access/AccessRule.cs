namespace Sinew.Security.Access;

/// <summary>What an endpoint requires of its caller.</summary>
public enum AccessKind
{
    /// <summary>Anyone: health probes, FHIR metadata, the token endpoint, dashboard assets (no data).</summary>
    Public,

    /// <summary>Any authenticated caller.</summary>
    Authenticated,

    /// <summary>One of <see cref="AccessRule.Roles"/>, or one of <see cref="AccessRule.Scopes"/>.</summary>
    RoleOrScope,

    /// <summary>Scope <c>channel:{channel}:send</c> for the channel in the route.</summary>
    ChannelSend,

    /// <summary>Scope <c>fhir:{type}.write</c> for the resource type in the route.</summary>
    FhirWrite,

    /// <summary>
    /// Scope <c>fhir:*.write</c>, or <c>fhir:{type}.write</c> for at least one type a channel takes to get in; then every
    /// entry of the Bundle needs the scope of its own type (checked by the FHIR intake through <see cref="Sinew.Fhir.IFhirWriteGrant"/>).
    /// </summary>
    FhirBundleWrite,

    /// <summary>Scope <c>fhir:{type}.read</c> for the resource type in the route.</summary>
    FhirRead,
}

/// <summary>
/// The access rule of one endpoint. <paramref name="Action"/>, when set, is the audit action written after the endpoint
/// ran (e.g. <c>message.reprocess</c>), with the route value named <paramref name="TargetRouteValue"/> as the target.
/// </summary>
public sealed record AccessRule(AccessKind Kind, IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, string? Action = null, string? TargetRouteValue = null)
{
    /// <summary>The rule of endpoints no rule was written for: admins only, so a new endpoint is never open by mistake.</summary>
    public static AccessRule Unclassified { get; } = new(AccessKind.RoleOrScope, [SinewPrincipal.Admin], []);

    public static AccessRule Public { get; } = new(AccessKind.Public, [], []);

    public string Describe() => Kind switch
    {
        AccessKind.Public => "anyone",
        AccessKind.Authenticated => "any authenticated caller",
        AccessKind.RoleOrScope => string.Join(" | ", Roles.Select(r => "role " + r).Concat(Scopes.Select(s => "scope " + s))),
        AccessKind.ChannelSend => "scope channel:{channel}:send",
        AccessKind.FhirWrite => "scope fhir:{type}.write",
        AccessKind.FhirBundleWrite => "scope fhir:*.write, or fhir:{type}.write for the type of every entry",
        AccessKind.FhirRead => "scope fhir:{type}.read",
        _ => Kind.ToString(),
    };
}
