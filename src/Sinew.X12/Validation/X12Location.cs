namespace Sinew.X12;

/// <summary>Where an issue was found: envelope control numbers, segment position in the transaction set, element and component positions.</summary>
/// <param name="ByteOffset">Offset of the segment in the input.</param>
/// <param name="InterchangeControlNumber">ISA13 of the enclosing interchange, if any.</param>
/// <param name="GroupControlNumber">GS06 of the enclosing functional group, if any.</param>
/// <param name="SetControlNumber">ST02 of the enclosing transaction set, if any.</param>
/// <param name="SegmentId">Identifier of the segment, e.g. "PO1".</param>
/// <param name="SegmentPosition">1-based position of the segment in its transaction set (ST is 1), 0 outside a set.</param>
/// <param name="ElementPosition">1-based element position, 0 when the issue is about the whole segment.</param>
/// <param name="ComponentPosition">1-based component position, 0 when not about a component.</param>
public sealed record X12Location(
    long ByteOffset,
    string? InterchangeControlNumber = null,
    string? GroupControlNumber = null,
    string? SetControlNumber = null,
    string? SegmentId = null,
    int SegmentPosition = 0,
    int ElementPosition = 0,
    int ComponentPosition = 0)
{
    /// <summary>A short human form, e.g. <c>ISA 000000001 / GS 1 / ST 0001 / PO1 #7 (PO1-03)</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(5);
        if (InterchangeControlNumber is not null)
        {
            parts.Add($"ISA {InterchangeControlNumber}");
        }
        if (GroupControlNumber is not null)
        {
            parts.Add($"GS {GroupControlNumber}");
        }
        if (SetControlNumber is not null)
        {
            parts.Add($"ST {SetControlNumber}");
        }
        if (SegmentId is not null)
        {
            var where = SegmentPosition > 0 ? $"{SegmentId} #{SegmentPosition}" : SegmentId;
            if (ElementPosition > 0)
            {
                where += ComponentPosition > 0 ? $" ({SegmentId}{ElementPosition:00}-{ComponentPosition})" : $" ({SegmentId}{ElementPosition:00})";
            }
            parts.Add(where);
        }
        parts.Add($"@{ByteOffset}");
        return string.Join(" / ", parts);
    }
}
