namespace Sinew.X12;

/// <summary>What validation found about one functional group (GS..GE): what a 997/999 AK1/AK9 reports.</summary>
public sealed class X12GroupResult
{
    /// <summary>Functional identifier code, GS01 (e.g. "PO").</summary>
    public required string FunctionalIdCode { get; init; }

    /// <summary>Group control number, GS06.</summary>
    public required string ControlNumber { get; init; }

    /// <summary>Version / release / industry identifier code, GS08 (e.g. "004010" or "005010X222A1").</summary>
    public required string Version { get; init; }

    /// <summary>Application sender's code, GS02.</summary>
    public string ApplicationSender { get; init; } = "";

    /// <summary>Application receiver's code, GS03.</summary>
    public string ApplicationReceiver { get; init; } = "";

    /// <summary>Number of transaction sets the GE01 says were included, or -1 when GE is missing or unreadable.</summary>
    public int SetsIncluded { get; internal set; } = -1;

    /// <summary>Number of transaction sets received.</summary>
    public int SetsReceived { get; internal set; }

    /// <summary>Number of transaction sets accepted (with or without noted errors).</summary>
    public int SetsAccepted { get; internal set; }

    /// <summary>The group verdict (AK901).</summary>
    public X12AckCode AckCode { get; internal set; } = X12AckCode.Accepted;

    /// <summary>AK905..AK909 functional group syntax error codes.</summary>
    public List<string> SyntaxErrorCodes { get; } = [];

    /// <summary>Per-set results, in input order (bounded by <see cref="X12ValidationOptions.MaxRetainedSets"/>).</summary>
    public List<X12SetResult> Sets { get; } = [];

    /// <summary>Sets received but not kept in <see cref="Sets"/> because of the retention bound; all were accepted.</summary>
    public int SetsNotRetained { get; internal set; }
}
