using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace Sinew.Fhir.Parsing;

/// <summary>The FHIR R4 resource type names, compared case-sensitively as FHIR requires (Firely's own check ignores case).</summary>
public static class FhirResourceTypes
{
    private static readonly FrozenSet<string> Known = ModelInfo.SupportedResources.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string name) => Known.Contains(name);
}
