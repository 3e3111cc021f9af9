namespace Sinew.Hl7v2;

/// <summary>Finds the n-th piece of a span split by one separator, without allocating: the primitive under every accessor.</summary>
internal static class Pieces
{
    /// <summary>Finds piece <paramref name="index"/> (0-based); when absent, <paramref name="start"/> is the span end and <paramref name="missing"/> the separators needed to create it.</summary>
    public static bool TryFind(ReadOnlySpan<byte> span, byte separator, int index, out int start, out int length, out int missing)
    {
        missing = 0;
        if (separator == 0)
        {
            start = index == 0 ? 0 : span.Length;
            length = index == 0 ? span.Length : 0;
            missing = index;
            return index == 0;
        }
        var position = 0;
        for (var i = 0; i < index; i++)
        {
            var next = span[position..].IndexOf(separator);
            if (next < 0)
            {
                start = span.Length;
                length = 0;
                missing = index - i;
                return false;
            }
            position += next + 1;
        }
        var end = span[position..].IndexOf(separator);
        start = position;
        length = end < 0 ? span.Length - position : end;
        return true;
    }

    /// <summary>Number of pieces; an empty span has none.</summary>
    public static int Count(ReadOnlySpan<byte> span, byte separator) =>
        span.IsEmpty ? 0 : separator == 0 ? 1 : span.Count(separator) + 1;

    /// <summary>True for MSH, FHS and BHS, whose first field is the field separator itself.</summary>
    public static bool IsHeaderName(ReadOnlySpan<byte> segment) =>
        segment.Length >= 3 && (segment[..3].SequenceEqual("MSH"u8) || segment[..3].SequenceEqual("FHS"u8) || segment[..3].SequenceEqual("BHS"u8));

    /// <summary>Locates a field of a segment, honouring the header rule that MSH-1 is the separator and MSH-2 the encoding characters.</summary>
    public static bool TryFindField(ReadOnlySpan<byte> segment, Hl7Delimiters delimiters, bool header, int field, out int start, out int length, out int missing)
    {
        if (header && field == 1)
        {
            missing = 0;
            start = Math.Min(3, segment.Length);
            length = segment.Length > 3 ? 1 : 0;
            return length == 1;
        }
        return TryFind(segment, delimiters.Field, header ? field - 1 : field, out start, out length, out missing);
    }
}
