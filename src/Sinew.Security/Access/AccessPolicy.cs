namespace Sinew.Security.Access;

/// <summary>
/// Which endpoint needs what, by HTTP method and route pattern. Every endpoint of the host has a line here; one that
/// has none gets <see cref="AccessRule.Unclassified"/> (admins only), and a test fails until it is classified.
/// </summary>
public static class AccessPolicy
{
    private static readonly string[] People = [SinewPrincipal.Admin, SinewPrincipal.Operator, SinewPrincipal.Auditor];
    private static readonly string[] Operators = [SinewPrincipal.Admin, SinewPrincipal.Operator];
    private static readonly string[] Admins = [SinewPrincipal.Admin];
    private static readonly string[] Auditors = [SinewPrincipal.Auditor];

    private static AccessRule Read(string? action = null, string? target = null) => new(AccessKind.RoleOrScope, People, ["admin:read"], action, target);

    private static AccessRule Act(string action, string? target) => new(AccessKind.RoleOrScope, Operators, [], action, target);

    /// <summary>(method, route pattern) → rule; <c>*</c> as method matches any.</summary>
    private static readonly Dictionary<(string Method, string Pattern), AccessRule> Rules = new()
    {
        [("GET", "/health/live")] = AccessRule.Public,
        [("GET", "/health/ready")] = AccessRule.Public,
        [("POST", "/auth/token")] = AccessRule.Public,
        [("GET", "/auth/jwks.json")] = AccessRule.Public,
        [("GET", "/fhir/metadata")] = AccessRule.Public,
        [("GET", "/metrics")] = new(AccessKind.RoleOrScope, People, ["metrics:read"]),
        [("*", "/metrics")] = new(AccessKind.RoleOrScope, People, ["metrics:read"]),
        [("GET", "/openapi/{documentName}.json")] = new(AccessKind.RoleOrScope, People, ["admin:read"]),

        [("GET", "/api/v1/channels")] = Read(),
        [("POST", "/api/v1/channels/{name}/pause")] = Act("channel.pause", "name"),
        [("POST", "/api/v1/channels/{name}/resume")] = Act("channel.resume", "name"),
        [("GET", "/api/v1/messages")] = Read(),
        [("GET", "/api/v1/messages/{id:long}")] = Read(),
        [("POST", "/api/v1/messages/{id:long}/reprocess")] = Act("message.reprocess", "id"),
        [("POST", "/api/v1/messages/{id:long}/discard")] = Act("message.discard", "id"),
        [("POST", "/api/v1/messages/reprocess")] = Act("message.reprocess-bulk", null),
        [("GET", "/api/v1/queues")] = Read(),
        [("GET", "/api/v1/sla")] = Read(),
        [("GET", "/api/v1/exceptions")] = Read(),
        [("POST", "/api/v1/exceptions/{outboxId:long}/discard")] = Act("delivery.discard", "outboxId"),
        [("GET", "/api/v1/reports/inventory-variance")] = Read(),
        [("GET", "/api/v1/schemas")] = Read(),
        [("GET", "/api/v1/schemas/{name}/{version:int}")] = Read(),
        [("POST", "/api/v1/tokens/resolve")] = new(AccessKind.RoleOrScope, Auditors, []),
        [("GET", "/api/v1/apikeys")] = new(AccessKind.RoleOrScope, Admins, []),
        [("POST", "/api/v1/apikeys")] = new(AccessKind.RoleOrScope, Admins, []),
        [("DELETE", "/api/v1/apikeys/{id}")] = new(AccessKind.RoleOrScope, Admins, []),

        [("POST", "/in/{channel}")] = new(AccessKind.ChannelSend, [], []),
        [("POST", "/fhir/{type}")] = new(AccessKind.FhirWrite, [], []),
        [("POST", "/fhir/")] = new(AccessKind.FhirBundleWrite, [], []),
        [("GET", "/fhir/{type}/{id}")] = new(AccessKind.FhirRead, [], [], "message.view-body", "id"),
        [("*", "/fhir/{**rest}")] = new(AccessKind.Authenticated, [], []),

        [("GET", "/")] = Read(),
        [("GET", "/messages")] = Read(),
        [("GET", "/messages/{id:long}")] = Read(),
        [("GET", "/messages/{id:long}/edit")] = new(AccessKind.RoleOrScope, Operators, []),
        [("GET", "/exceptions")] = Read(),
        [("GET", "/reports/variance")] = Read(),
        [("GET", "/assets/dashboard.css")] = AccessRule.Public,
        [("GET", "/assets/dashboard.js")] = AccessRule.Public,
        [("GET", "/assets/icon.svg")] = AccessRule.Public,
        [("GET", "/favicon.ico")] = AccessRule.Public,
        [("POST", "/channels/{name}/pause")] = Act("channel.pause", "name"),
        [("POST", "/channels/{name}/resume")] = Act("channel.resume", "name"),
        [("POST", "/messages/{id:long}/reprocess")] = Act("message.reprocess", "id"),
        [("POST", "/messages/{id:long}/discard")] = Act("message.discard", "id"),
        [("POST", "/messages/{id:long}/edit")] = Act("message.edit-reprocess", "id"),
        [("POST", "/exceptions/reprocess")] = Act("message.reprocess-selected", null),
        [("POST", "/exceptions/discard")] = Act("message.discard-selected", null),
    };

    /// <summary>The rule for <paramref name="method"/> on <paramref name="pattern"/>, and whether one was written for it.</summary>
    public static (AccessRule Rule, bool Classified) Find(string method, string? pattern)
    {
        if (pattern is null)
        {
            return (AccessRule.Unclassified, false);
        }
        var normalized = pattern.Length > 1 && pattern.EndsWith('/') && !pattern.EndsWith("{**rest}/", StringComparison.Ordinal) && pattern != "/fhir/" ? pattern.TrimEnd('/') : pattern;
        if (Rules.TryGetValue((method, normalized), out var rule) || Rules.TryGetValue(("*", normalized), out rule))
        {
            return (rule, true);
        }
        // The audit trail (the data-protection module's endpoints) is for auditors.
        if (normalized.StartsWith("/fhir/AuditEvent", StringComparison.Ordinal) || normalized.StartsWith("/api/v1/audit", StringComparison.Ordinal))
        {
            return (new AccessRule(AccessKind.RoleOrScope, Auditors, ["audit:read"]), true);
        }
        return (AccessRule.Unclassified, false);
    }

    /// <summary>Every written rule, for the documentation and the role × endpoint matrix.</summary>
    public static IEnumerable<(string Method, string Pattern, AccessRule Rule)> All => Rules.Select(r => (r.Key.Method, r.Key.Pattern, r.Value));
}
