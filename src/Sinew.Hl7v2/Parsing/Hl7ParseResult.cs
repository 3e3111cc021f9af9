namespace Sinew.Hl7v2;

/// <summary>The outcome of parsing: the message (null only when no header could be found) and every issue met.</summary>
/// <param name="Message">The parsed message, or null when the bytes hold no MSH header at all.</param>
/// <param name="Issues">Parse issues in order of position.</param>
public sealed record Hl7ParseResult(Hl7Message? Message, IReadOnlyList<Hl7Issue> Issues)
{
    /// <summary>True when a message was read and no issue is an error.</summary>
    public bool Succeeded => Message is not null && !HasErrors;

    /// <summary>True when at least one issue has <see cref="Hl7Severity.Error"/>.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var issue in Issues)
            {
                if (issue.Severity == Hl7Severity.Error)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
