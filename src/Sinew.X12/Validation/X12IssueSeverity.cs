namespace Sinew.X12;

/// <summary>How much an issue matters: errors reject, warnings are noted in acknowledgements, information is tolerated.</summary>
public enum X12IssueSeverity
{
    Information,
    Warning,
    Error,
}
