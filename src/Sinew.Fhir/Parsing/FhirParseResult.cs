using Hl7.Fhir.Model;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Parsing;

/// <summary>What parsing a body gave: the resource (possibly partial) and the issues found; no issues means it is usable.</summary>
public sealed record FhirParseResult(Resource? Resource, IReadOnlyList<FhirIssue> Issues)
{
    public bool IsValid => Resource is not null && !Issues.Any(i => i.IsError);

    public static FhirParseResult Failed(FhirIssue issue) => new(null, [issue]);
}
