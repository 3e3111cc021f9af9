using System.Buffers;

namespace Sinew.X12;

/// <summary>Parses an input into records and writes them back: the proof that reading loses nothing.</summary>
public static class X12Roundtrip
{
    /// <summary>Reads <paramref name="input"/> record by record and writes each record to <paramref name="output"/>; returns the segment count.</summary>
    public static long Copy(Stream input, Stream output)
    {
        using var reader = new X12Reader(input, leaveOpen: true);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        long segments = 0;
        while (reader.Read())
        {
            var record = reader.Record;
            if (reader.Kind == X12RecordKind.Segment)
            {
                segments++;
                var segment = reader.Segment;
                // Write the parts separately (before, segment rebuilt from its elements, after) so the output is built
                // from the parsed segment, not copied from the raw record.
                var before = (int)(reader.SegmentOffset - (reader.BytesConsumed - record.Length));
                buffer.Write(record[..before]);
                WriteElements(segment, buffer);
                buffer.Write(record[(before + segment.Bytes.Length)..]);
            }
            else
            {
                buffer.Write(record);
            }
            if (buffer.WrittenCount >= 1 << 16)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }
        output.Write(buffer.WrittenSpan);
        return segments;
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

    // Rebuilds the segment from its identifier and elements as the parser split them, so a splitting bug shows as a difference.
    private static void WriteElements(X12Segment segment, ArrayBufferWriter<byte> output)
    {
        var bytes = segment.Bytes;
        var separator = segment.Delimiters.Element;
        var first = bytes.IndexOf(separator);
        output.Write(first < 0 ? bytes : bytes[..first]);
        if (first < 0)
        {
            return;
        }
        foreach (var range in bytes[(first + 1)..].Split(separator))
        {
            output.Write([separator]);
            output.Write(bytes[(first + 1)..][range]);
        }
    }
}
