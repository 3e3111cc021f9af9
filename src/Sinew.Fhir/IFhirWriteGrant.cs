namespace Sinew.Fhir;

/// <summary>
/// The caller's permission to write FHIR resources, per resource type, set on the request by the security module
/// (<c>HttpContext.Features</c>). A Bundle's types are known only once it is parsed, so the Bundle intake asks this for
/// every entry before anything is journaled. No grant on the request (security off, loopback) means every type may be written.
/// </summary>
public interface IFhirWriteGrant
{
    /// <summary>Who is calling, as the refusal names them.</summary>
    string Actor { get; }

    /// <summary>True when the caller may write resources of <paramref name="resourceType"/>.</summary>
    bool MayWrite(string resourceType);

    /// <summary>What would let the caller write <paramref name="resourceType"/>, e.g. <c>scope fhir:Patient.write</c>.</summary>
    string Needs(string resourceType);

    /// <summary>Records the refusal (the audit trail), with the reason naming entries and scopes, never content.</summary>
    ValueTask RefusedAsync(string reason, CancellationToken cancellationToken);
}
