using System.Buffers;
using System.Globalization;

namespace Sinew.Hl7v2;

/// <summary>Writes one ERR segment for an issue in one pass: ERR-2/3/4/8 from v2.5 on, the ERR-1 (ELD) form before.</summary>
internal static class AckErrors
{
    public static void Add(Hl7Message ack, Hl7Issue issue, string version, bool includeText)
    {
        var d = ack.Delimiters;
        var writer = new ArrayBufferWriter<byte>(160);
        var (code, text) = HL70357.For(issue.Code, version);
        var location = issue.Location;
        Raw(writer, "ERR"u8);
        Byte(writer, d.Field);
        if (string.CompareOrdinal(version, "2.5") < 0)
        {
            if (location.Segment.Length == 3)
            {
                Text(writer, ack, location.Segment);
                Byte(writer, d.Component);
                Text(writer, ack, Number(location.SegmentSequence));
                Byte(writer, d.Component);
                Text(writer, ack, Number(location.Field));
            }
            else
            {
                Byte(writer, d.Component);
                Byte(writer, d.Component);
            }
            Byte(writer, d.Component);
            WriteCode(writer, ack, code, text, d.SubComponent);
        }
        else
        {
            Byte(writer, d.Field);
            if (location.Segment.Length == 3)
            {
                Span<int> parts = [location.SegmentSequence, location.Field, location.Repetition, location.Component, location.SubComponent];
                var last = parts.LastIndexOfAnyExcept(0);
                Text(writer, ack, location.Segment);
                for (var i = 0; i <= last; i++)
                {
                    Byte(writer, d.Component);
                    Text(writer, ack, Number(parts[i]));
                }
            }
            Byte(writer, d.Field);
            WriteCode(writer, ack, code, text, d.Component);
            Byte(writer, d.Field);
            Raw(writer, issue.Severity == Hl7Severity.Error ? "E"u8 : issue.Severity == Hl7Severity.Warning ? "W"u8 : "I"u8);
            if (includeText)
            {
                for (var i = 0; i < 4; i++)
                {
                    Byte(writer, d.Field);
                }
                Text(writer, ack, $"{(int)issue.Code} {issue.Code}: {issue.Message}");
            }
        }
        ack.InsertSegmentBytes(ack.SegmentCount, writer.WrittenSpan);
    }

    private static void WriteCode(ArrayBufferWriter<byte> writer, Hl7Message ack, string code, string text, byte separator)
    {
        Text(writer, ack, code);
        Byte(writer, separator);
        Text(writer, ack, text);
        Byte(writer, separator);
        Raw(writer, "HL70357"u8);
    }

    private static void Text(ArrayBufferWriter<byte> writer, Hl7Message ack, string text) =>
        Hl7Escaping.Encode(text, ack.Delimiters, ack.Encoding, writer);

    private static void Raw(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> bytes) => writer.Write(bytes);

    private static void Byte(ArrayBufferWriter<byte> writer, byte value) => writer.Write([value]);

    private static string Number(int value) => value > 0 ? value.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
