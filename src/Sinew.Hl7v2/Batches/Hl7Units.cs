namespace Sinew.Hl7v2;

/// <summary>Finds where one batch item ends: after an envelope segment, or before the next MSH/FHS/BHS/BTS/FTS line.</summary>
internal static class Hl7Units
{
    /// <summary>Returns the end of the item starting at 0, or -1 when more bytes are needed to know (only when not <paramref name="final"/>).</summary>
    public static int FindEnd(ReadOnlySpan<byte> data, bool final, out Hl7BatchItemKind kind)
    {
        var resume = 0;
        return FindEnd(data, final, out kind, ref resume);
    }

    /// <summary>As <see cref="FindEnd(ReadOnlySpan{byte}, bool, out Hl7BatchItemKind)"/>, resuming the line scan where a previous call that needed more bytes stopped.</summary>
    public static int FindEnd(ReadOnlySpan<byte> data, bool final, out Hl7BatchItemKind kind, ref int resume)
    {
        var p = data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        while (p < data.Length && data[p] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
        {
            p++;
        }
        kind = Classify(data[p..]);
        if (p == data.Length || (data.Length - p < 4 && !final))
        {
            return final ? data.Length : -1;
        }
        var envelope = kind != Hl7BatchItemKind.Message;
        var lineStart = Math.Max(p, resume);
        while (true)
        {
            var lineEnd = data[lineStart..].IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0)
            {
                resume = lineStart;
                return final ? data.Length : -1;
            }
            var next = lineStart + lineEnd;
            while (next < data.Length && data[next] is (byte)'\r' or (byte)'\n')
            {
                next++;
            }
            if (next == data.Length)
            {
                resume = lineStart;
                return final ? data.Length : -1;
            }
            if (envelope)
            {
                return next;
            }
            if (data.Length - next < 4 && !final)
            {
                resume = lineStart;
                return -1;
            }
            if (IsBoundary(data[next..]))
            {
                return next;
            }
            lineStart = next;
        }
    }

    public static Hl7BatchItemKind Classify(ReadOnlySpan<byte> line)
    {
        if (!IsBoundary(line))
        {
            return Hl7BatchItemKind.Message;
        }
        return line[..3] switch
        {
            var n when n.SequenceEqual("FHS"u8) => Hl7BatchItemKind.FileHeader,
            var n when n.SequenceEqual("BHS"u8) => Hl7BatchItemKind.BatchHeader,
            var n when n.SequenceEqual("BTS"u8) => Hl7BatchItemKind.BatchTrailer,
            var n when n.SequenceEqual("FTS"u8) => Hl7BatchItemKind.FileTrailer,
            _ => Hl7BatchItemKind.Message,
        };
    }

    private static bool IsBoundary(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3)
        {
            return false;
        }
        var name = line[..3];
        if (!name.SequenceEqual("MSH"u8) && !name.SequenceEqual("FHS"u8) && !name.SequenceEqual("BHS"u8) && !name.SequenceEqual("BTS"u8) && !name.SequenceEqual("FTS"u8))
        {
            return false;
        }
        return line.Length == 3 || !char.IsAsciiLetterOrDigit((char)line[3]);
    }
}
