namespace Sinew.X12;

/// <summary>One finding of the reader or validator: a stable code, a severity, where, and a message for people.</summary>
/// <param name="Code">Stable code such as <c>X12-SE-COUNT</c>; see <see cref="X12IssueCodes"/>.</param>
/// <param name="Severity">Whether the issue rejects the data.</param>
/// <param name="Location">Where the issue was found.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record X12Issue(string Code, X12IssueSeverity Severity, X12Location Location, string Message)
{
    /// <summary>One line: severity, code, location and message.</summary>
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Code} at {Location}: {Message}";
}
