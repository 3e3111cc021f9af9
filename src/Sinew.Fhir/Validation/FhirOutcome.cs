using Hl7.Fhir.Model;

namespace Sinew.Fhir.Validation;

/// <summary>Builds the <c>OperationOutcome</c> every FHIR answer about a problem carries.</summary>
public static class FhirOutcome
{
    /// <summary>At most this many issues go into one outcome, so hostile input cannot make a huge answer.</summary>
    public const int MaxIssues = 100;

    public static OperationOutcome From(IEnumerable<FhirIssue> issues)
    {
        var outcome = new OperationOutcome();
        var count = 0;
        foreach (var issue in issues)
        {
            if (++count > MaxIssues)
            {
                outcome.Issue.Add(ToComponent(FhirIssue.Information($"more than {MaxIssues} issues; the rest are not listed")));
                break;
            }
            outcome.Issue.Add(ToComponent(issue));
        }
        return outcome;
    }

    public static OperationOutcome From(params FhirIssue[] issues) => From((IEnumerable<FhirIssue>)issues);

    /// <summary>The issues as one line, for the journal's reason of a rejected message.</summary>
    public static string Summary(IEnumerable<FhirIssue> issues, int maxLength = 2000)
    {
        var text = string.Join("; ", issues.Where(i => i.IsError).Select(i => i.Expression is null ? i.Diagnostics : $"{i.Expression}: {i.Diagnostics}"));
        return text.Length > maxLength ? text[..maxLength] + "…" : text;
    }

    private static OperationOutcome.IssueComponent ToComponent(FhirIssue issue)
    {
        var component = new OperationOutcome.IssueComponent
        {
            Severity = issue.Severity,
            Code = issue.Code,
            Diagnostics = issue.Diagnostics,
        };
        if (issue.Expression is { } expression)
        {
            component.Expression = [expression];
        }
        return component;
    }
}
