namespace Sinew.Hl7v2;

/// <summary>One problem found while parsing or validating a message: a stable code, where it is, and a sentence for people.</summary>
/// <param name="Code">Stable code for programs and ACK mapping.</param>
/// <param name="Severity">Error, warning or information.</param>
/// <param name="Location">Segment, field, repetition and component concerned.</param>
/// <param name="Message">Human readable explanation; never contains message content.</param>
public sealed record Hl7Issue(Hl7IssueCode Code, Hl7Severity Severity, Hl7Location Location, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Severity} {(int)Code} {Code} at {Location}: {Message}";
}
