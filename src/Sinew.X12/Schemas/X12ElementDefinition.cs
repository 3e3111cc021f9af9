namespace Sinew.X12;

/// <summary>One element of a segment as a schema file defines it: reference number, requirement, data type, length and codes.</summary>
/// <param name="Reference">Data element reference number, e.g. "353", or a composite identifier such as "C040".</param>
/// <param name="Requirement">"M" mandatory, "O" optional, "X" conditional (checked as optional).</param>
/// <param name="Type">Data type: AN, ID, N0..N9, R, DT, TM, or COMP for a composite.</param>
/// <param name="MinLength">Minimum length.</param>
/// <param name="MaxLength">Maximum length.</param>
/// <param name="Codes">Allowed values for ID elements when the list is small; empty when any value is allowed.</param>
public sealed record X12ElementDefinition(string Reference, string Requirement, string Type, int MinLength, int MaxLength, IReadOnlyList<string> Codes)
{
    internal byte[][] CodeBytes { get; } = [.. Codes.Select(System.Text.Encoding.Latin1.GetBytes)];

    /// <summary>True for M elements.</summary>
    public bool IsMandatory { get; } = Requirement == "M";

    /// <summary>True for composites, whose components are not type-checked.</summary>
    public bool IsComposite => Kind == X12DataKind.Composite;

    /// <summary>The numeric reference number, 0 for composites.</summary>
    public int ReferenceNumber { get; } = int.TryParse(Reference, out var n) ? n : 0;

    internal X12DataKind Kind { get; } = Type switch
    {
        "ID" => X12DataKind.Identifier,
        "R" => X12DataKind.Decimal,
        "DT" => X12DataKind.Date,
        "TM" => X12DataKind.Time,
        "COMP" => X12DataKind.Composite,
        _ when Type.Length == 2 && Type[0] == 'N' && char.IsAsciiDigit(Type[1]) => X12DataKind.Numeric,
        _ => X12DataKind.Text,
    };
}
