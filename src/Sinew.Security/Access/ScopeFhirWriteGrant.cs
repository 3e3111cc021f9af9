using Sinew.Core.Audit;
using Sinew.Fhir;

namespace Sinew.Security.Access;

/// <summary>
/// The FHIR write permission of an authenticated caller, from its scopes: <c>fhir:*.write</c> writes every type,
/// <c>fhir:{type}.write</c> that type. Set on Bundle requests so each entry is authorized by its own type; a refusal is
/// audited as <c>auth.denied</c> like the middleware's own.
/// </summary>
internal sealed class ScopeFhirWriteGrant(SinewPrincipal principal, IAuditLog audit, string target, string? source) : IFhirWriteGrant
{
    public string Actor => principal.Actor;

    public bool MayWrite(string resourceType) => principal.HasFhirScope(resourceType, "write");

    public string Needs(string resourceType) => $"scope fhir:{resourceType}.write (or fhir:*.write)";

    public async ValueTask RefusedAsync(string reason, CancellationToken cancellationToken) =>
        await audit.WriteAsync(new AuditRecord { Action = "auth.denied", Actor = principal.Actor, Role = principal.RoleText, Outcome = "denied", Target = target, Reason = reason, Source = source }, cancellationToken);
}
