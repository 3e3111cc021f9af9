namespace Sinew.X12;

/// <summary>What validation found about one transaction set (ST..SE): what a 997 AK2/AK5 or 999 AK2/IK5 reports.</summary>
public sealed class X12SetResult
{
    /// <summary>Transaction set identifier code, ST01 (e.g. "850").</summary>
    public required string SetId { get; init; }

    /// <summary>Transaction set control number, ST02.</summary>
    public required string ControlNumber { get; init; }

    /// <summary>Implementation convention reference, ST03 (005010), or empty.</summary>
    public string ImplementationReference { get; init; } = "";

    /// <summary>The verdict for this set.</summary>
    public X12AckCode AckCode { get; internal set; } = X12AckCode.Accepted;

    private List<string>? _syntaxErrorCodes;
    private List<X12SegmentError>? _segmentErrors;

    /// <summary>AK502..AK506 / IK502.. syntax error codes, e.g. "4" segment count wrong, "5" segments in error.</summary>
    public List<string> SyntaxErrorCodes => _syntaxErrorCodes ??= [];

    /// <summary>Segments in error, in input order.</summary>
    public List<X12SegmentError> SegmentErrors => _segmentErrors ??= [];

    // Most sets are clean: the lists are created on first use, so a clean set costs one object.
    internal bool HasSyntaxErrors => _syntaxErrorCodes is { Count: > 0 };

    internal bool HasSegmentErrors => _segmentErrors is { Count: > 0 };
}
