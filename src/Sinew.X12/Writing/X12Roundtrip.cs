namespace Sinew.X12;

/// <summary>Parses an input into records and writes them back: the proof that reading loses nothing.</summary>
public static class X12Roundtrip
{
    /// <summary>Reads <paramref name="input"/> record by record and writes each record's bytes to <paramref name="output"/>; returns the segment count.</summary>
    public static long Copy(Stream input, Stream output)
    {
        using var reader = new X12Reader(input, leaveOpen: true);
        long segments = 0;
        while (reader.Read())
        {
            if (reader.Kind == X12RecordKind.Segment)
            {
                segments++;
                var segment = reader.Segment;
                var record = reader.Record;
                // Write the parts separately (before, segment, after) so the output is built from the parsed segment, not the raw record.
                var before = (int)(reader.SegmentOffset - (reader.BytesConsumed - record.Length));
                output.Write(record[..before]);
                WriteElements(segment, output);
                output.Write(record[(before + segment.Bytes.Length)..]);
            }
            else
            {
                output.Write(reader.Record);
            }
        }
        return segments;
    }

    // Rebuilds the segment from its identifier and elements as the parser split them, so a splitting bug shows as a difference.
    private static void WriteElements(X12Segment segment, Stream output)
    {
        var separator = segment.Delimiters.Element;
        output.Write(segment.Id);
        var count = segment.ElementCount;
        for (var i = 1; i <= count; i++)
        {
            output.WriteByte(separator);
            output.Write(segment.GetElement(i));
        }
    }

    /// <summary>Parses and re-serializes bytes in memory.</summary>
    public static byte[] Reserialize(byte[] input)
    {
        using var output = new MemoryStream(input.Length);
        Copy(new MemoryStream(input, writable: false), output);
        return output.ToArray();
    }

    /// <summary>Offset of the first differing byte, or -1 when both are identical.</summary>
    public static long FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var common = expected.CommonPrefixLength(actual);
        return common == expected.Length && common == actual.Length ? -1 : common;
    }
}
