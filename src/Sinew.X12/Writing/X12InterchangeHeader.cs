namespace Sinew.X12;

/// <summary>The ISA fields of an interchange Sinew sends.</summary>
public sealed record X12InterchangeHeader
{
    /// <summary>ISA05, e.g. "ZZ" mutually defined, "01" DUNS.</summary>
    public required string SenderQualifier { get; init; }

    /// <summary>ISA06, up to 15 characters.</summary>
    public required string SenderId { get; init; }

    /// <summary>ISA07.</summary>
    public required string ReceiverQualifier { get; init; }

    /// <summary>ISA08, up to 15 characters.</summary>
    public required string ReceiverId { get; init; }

    /// <summary>ISA13, 1 to 999999999.</summary>
    public required int ControlNumber { get; init; }

    /// <summary>ISA12, e.g. "00401" or "00501".</summary>
    public string Version { get; init; } = "00501";

    /// <summary>ISA09 and ISA10.</summary>
    public DateTime Timestamp { get; init; } = DateTime.UtcNow;

    /// <summary>ISA14: ask the receiver for a TA1.</summary>
    public bool AcknowledgmentRequested { get; init; }

    /// <summary>ISA15: 'P' production, 'T' test.</summary>
    public char UsageIndicator { get; init; } = 'P';
}
