using Hl7.Fhir.Model;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Intake;

/// <summary>One entry of a transaction or batch, checked: its resource, the channel that takes it, and its problems.</summary>
internal sealed record FhirBundleEntry(int Index, Resource? Resource, FhirTarget? Target, IReadOnlyList<FhirIssue> Issues)
{
    public bool IsValid => Resource is not null && Target is not null && !Issues.Any(i => i.IsError);

    /// <summary>
    /// Checks entry <paramref name="index"/>: <c>request</c> is <c>POST {type}</c>, the resource is of that type, a channel
    /// takes it, and it passes validation. <paramref name="parseIssues"/> are the parser's problems inside this entry.
    /// </summary>
    public static FhirBundleEntry Check(SinewEngine engine, Bundle.EntryComponent entry, int index, string kind, IReadOnlyList<FhirIssue> parseIssues)
    {
        var path = $"Bundle.entry[{index}]";
        var issues = new List<FhirIssue>();
        string? urlType = null;
        if (entry.Request is not { } request)
        {
            issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Required, $"each {kind} entry needs request.method POST and request.url naming the resource type", $"{path}.request"));
        }
        else
        {
            if (request.Method != Bundle.HTTPVerb.POST)
            {
                issues.Add(FhirIssue.Error(OperationOutcome.IssueType.NotSupported, $"only POST (create) is supported in a {kind}; this entry says {request.Method?.ToString() ?? "nothing"}", $"{path}.request.method"));
            }
            var url = (request.Url ?? "").Trim().TrimStart('/');
            if (url.Length == 0 || url.Contains('/', StringComparison.Ordinal) || url.Contains('?', StringComparison.Ordinal) || !FhirResourceTypes.IsKnown(url))
            {
                issues.Add(FhirIssue.Error(OperationOutcome.IssueType.NotSupported, $"request.url must be a resource type such as SupplyDelivery (was '{FhirRoutes.Truncate(request.Url ?? "")}')", $"{path}.request.url"));
            }
            else
            {
                urlType = url;
            }
        }
        FhirTarget? target = null;
        var resource = entry.Resource;
        if (resource is null)
        {
            if (parseIssues.Count == 0)
            {
                issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Required, "the entry has no resource", $"{path}.resource"));
            }
        }
        else if (urlType is not null && resource.TypeName != urlType)
        {
            issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Invalid, $"the resource is a {resource.TypeName}, but request.url says {urlType}", $"{path}.resource"));
        }
        else if ((target = FhirTarget.Find(engine, resource.TypeName)) is null)
        {
            issues.Add(FhirIssue.Error(OperationOutcome.IssueType.NotSupported, $"no channel takes {resource.TypeName}", $"{path}.resource"));
        }
        issues.AddRange(parseIssues);
        if (resource is not null && target is not null && parseIssues.Count == 0)
        {
            issues.AddRange(FhirValidator.Validate(resource, $"{path}.resource"));
        }
        var named = issues.Select(i => i with { Diagnostics = $"{path}: {i.Diagnostics}" }).ToList();
        return new FhirBundleEntry(index, resource, target, named);
    }

    /// <summary>The entry index an issue's FHIRPath points into (<c>Bundle.entry[3]...</c>), or null for the Bundle itself.</summary>
    public static int? EntryIndex(string? expression)
    {
        const string prefix = "Bundle.entry[";
        if (expression is null || !expression.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var end = expression.IndexOf(']', prefix.Length);
        return end > prefix.Length && int.TryParse(expression.AsSpan(prefix.Length, end - prefix.Length), out var index) ? index : null;
    }
}
