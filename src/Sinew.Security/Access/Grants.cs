using System.Text.RegularExpressions;

namespace Sinew.Security.Access;

/// <summary>The roles and scopes Sinew knows, so a misspelt grant is an error instead of a silent refusal.</summary>
public static partial class Grants
{
    public static readonly IReadOnlyList<string> Roles = [SinewPrincipal.Admin, SinewPrincipal.Operator, SinewPrincipal.Auditor];

    [GeneratedRegex(@"^(channel:[A-Za-z0-9][A-Za-z0-9_-]{0,63}:send|fhir:(\*|[A-Z][A-Za-z]{1,63})\.(read|write)|admin:read|metrics:read|audit:read|phi:view)$")]
    private static partial Regex ScopePattern();

    /// <summary>Null when <paramref name="scope"/> is a known scope; otherwise what is wrong.</summary>
    public static string? ScopeProblem(string scope) => ScopePattern().IsMatch(scope)
        ? null
        : $"'{scope}' is not a scope Sinew knows (channel:<name>:send, fhir:<Type>.write, fhir:<Type>.read, admin:read, metrics:read, audit:read, phi:view)";

    /// <summary>Null when <paramref name="role"/> is a known role; otherwise what is wrong.</summary>
    public static string? RoleProblem(string role) => Roles.Contains(role, StringComparer.Ordinal)
        ? null
        : $"'{role}' is not a role Sinew knows ({string.Join(", ", Roles)})";
}
