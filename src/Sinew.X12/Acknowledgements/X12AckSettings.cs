namespace Sinew.X12;

/// <summary>What Sinew puts in the envelopes of the acknowledgements it sends.</summary>
public sealed record X12AckSettings
{
    /// <summary>ISA13 of the acknowledgement interchange.</summary>
    public int InterchangeControlNumber { get; init; } = 1;

    /// <summary>GS06 of the first acknowledgement group; each further group adds one.</summary>
    public int GroupControlNumber { get; init; } = 1;

    /// <summary>ISA09/ISA10 and GS04/GS05.</summary>
    public DateTime Timestamp { get; init; } = DateTime.UtcNow;

    /// <summary>Delimiters to write with; those of the received interchange when null.</summary>
    public X12Delimiters? Delimiters { get; init; }

    /// <summary>Written after each segment terminator, e.g. "\n" for people reading the output.</summary>
    public string SegmentSuffix { get; init; } = "";
}
