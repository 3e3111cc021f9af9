using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace Sinew.Fhir.Validation;

/// <summary>
/// Checks a parsed resource: Firely's validation of the POCO (cardinalities, required elements, codes, literals,
/// recursively) and then Sinew's own rules for the resource types a consumption is built from.
/// </summary>
public static class FhirValidator
{
    private static readonly FhirAttributeValidator Attributes = new();

    /// <summary>The problems of <paramref name="resource"/>, with FHIRPaths under <paramref name="path"/> (defaults to its type).</summary>
    public static IReadOnlyList<FhirIssue> Validate(Resource resource, string? path = null)
    {
        var type = resource.TypeName;
        path ??= type;
        var issues = new List<FhirIssue>();
        foreach (var problem in resource.Validate(NarrativeValidationKind.None, Attributes))
        {
            issues.Add(new FhirIssue(OperationOutcome.IssueSeverity.Error, problem.IssueType, problem.BaseErrorMessage, string.IsNullOrEmpty(problem.InstancePath) ? null : problem.InstancePath).Under(type, path));
        }
        if (resource is SupplyDelivery delivery)
        {
            issues.AddRange(SupplyDeliveryRules.Check(delivery, path));
        }
        return issues;
    }
}
