using Hl7.Fhir.Model;

namespace Sinew.Fhir.Validation;

/// <summary>One problem found in a request, as it becomes an <c>OperationOutcome.issue</c>.</summary>
/// <param name="Severity">How bad it is; errors and fatals refuse the request.</param>
/// <param name="Code">The FHIR issue type (invalid, structure, required, value, too-costly, not-supported, ...).</param>
/// <param name="Diagnostics">What is wrong and where, in words.</param>
/// <param name="Expression">The FHIRPath of the element at fault, when known (e.g. <c>SupplyDelivery.suppliedItem.quantity</c>).</param>
public sealed record FhirIssue(OperationOutcome.IssueSeverity Severity, OperationOutcome.IssueType Code, string Diagnostics, string? Expression = null)
{
    public static FhirIssue Error(OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        new(OperationOutcome.IssueSeverity.Error, code, diagnostics, expression);

    public static FhirIssue Information(string diagnostics) =>
        new(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, diagnostics);

    public bool IsError => Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;

    /// <summary>The same issue with its path moved under <paramref name="prefix"/> (a resource checked alone, reported inside a Bundle).</summary>
    public FhirIssue Under(string resourceType, string prefix) =>
        Expression is { } path && path.StartsWith(resourceType, StringComparison.Ordinal) && prefix != resourceType
            ? this with { Expression = prefix + path[resourceType.Length..] }
            : this;
}
