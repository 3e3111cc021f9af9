namespace Sinew.X12;

/// <summary>What validation found about one interchange (ISA..IEA): the header fields an acknowledgement needs and what a TA1 reports.</summary>
public sealed class X12InterchangeResult
{
    public required string SenderQualifier { get; init; }
    public required string SenderId { get; init; }
    public required string ReceiverQualifier { get; init; }
    public required string ReceiverId { get; init; }

    /// <summary>Interchange date, ISA09 (YYMMDD).</summary>
    public required string Date { get; init; }

    /// <summary>Interchange time, ISA10 (HHMM).</summary>
    public required string Time { get; init; }

    /// <summary>Interchange control version number, ISA12 (e.g. "00401", "00501").</summary>
    public required string Version { get; init; }

    /// <summary>Interchange control number, ISA13.</summary>
    public required string ControlNumber { get; init; }

    /// <summary>Acknowledgment requested, ISA14 ("1" asks for a TA1).</summary>
    public string AcknowledgmentRequested { get; init; } = "0";

    /// <summary>Usage indicator, ISA15 ("P" production, "T" test).</summary>
    public string UsageIndicator { get; init; } = "P";

    /// <summary>The delimiters the interchange declared.</summary>
    public X12Delimiters Delimiters { get; init; }

    /// <summary>Number of functional groups IEA01 says were included, -1 when IEA is missing.</summary>
    public int GroupsIncluded { get; internal set; } = -1;

    /// <summary>TA1 interchange acknowledgment code (TA104): accepted, accepted with errors, or rejected.</summary>
    public X12AckCode AckCode { get; internal set; } = X12AckCode.Accepted;

    /// <summary>TA1 interchange note code (TA105), "000" when there is no envelope error.</summary>
    public string NoteCode { get; internal set; } = "000";

    /// <summary>Functional groups in input order.</summary>
    public List<X12GroupResult> Groups { get; } = [];

    /// <summary>TA1 segments found inside this interchange (acknowledgements received), as raw text.</summary>
    public List<string> Ta1Segments { get; } = [];
}
