namespace Sinew.Hl7v2;

/// <summary>Field boundaries of one segment found in one pass, so several rules on the same segment do not rescan it.</summary>
internal readonly ref struct FieldIndex
{
    public const int MaxFields = 254;

    private readonly Segment segment;
    private readonly Span<int> starts;
    private readonly int pieces;
    private readonly bool complete;

    public FieldIndex(Segment segment, Span<int> buffer)
    {
        this.segment = segment;
        starts = buffer;
        IsHeader = segment.IsHeader;
        var span = segment.Raw.Span;
        var separator = segment.Delimiters.Field;
        var count = 1;
        var position = 0;
        starts[0] = 0;
        complete = true;
        while (true)
        {
            var next = span[position..].IndexOf(separator);
            if (next < 0)
            {
                break;
            }
            if (count == MaxFields)
            {
                complete = false;
                break;
            }
            position += next + 1;
            starts[count++] = position;
        }
        starts[count] = span.Length + 1;
        pieces = count;
    }

    public bool IsHeader { get; }

    public Field Get(int field)
    {
        if (!complete || (IsHeader && field <= 2))
        {
            return segment.Field(field);
        }
        var piece = IsHeader ? field - 1 : field;
        if (piece >= pieces)
        {
            return new Field(ReadOnlyMemory<byte>.Empty, segment.Delimiters, segment.TextEncoding, false, false);
        }
        var start = starts[piece];
        return new Field(segment.Raw[start..(starts[piece + 1] - 1)], segment.Delimiters, segment.TextEncoding, true, false);
    }
}
