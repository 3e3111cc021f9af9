using System.Buffers;

namespace Sinew.Hl7v2;

/// <summary>Writes the MSH and MSA of an ACK in one pass, copying the inbound fields raw (they share its delimiters).</summary>
internal static class AckHeader
{
    private static readonly Hl7Path Msh3 = Hl7Path.Create("MSH", 3);
    private static readonly Hl7Path Msh4 = Hl7Path.Create("MSH", 4);
    private static readonly Hl7Path Msh5 = Hl7Path.Create("MSH", 5);
    private static readonly Hl7Path Msh6 = Hl7Path.Create("MSH", 6);
    private static readonly Hl7Path Msh11 = Hl7Path.Create("MSH", 11);
    private static readonly Hl7Path Msh12 = Hl7Path.Create("MSH", 12);
    private static readonly Hl7Path Msh18 = Hl7Path.Create("MSH", 18);

    /// <summary>The last MSH-7 formatted, for ACKs sent within the same second of the same clock.</summary>
    private static FormattedSecond? s_lastTimestamp;

    public static Hl7Message Create(Hl7Message inbound, AckCode code, bool enhanced, AckOptions options)
    {
        var d = inbound.Delimiters;
        var w = new ArrayBufferWriter<byte>(256);
        var charset = WriteMsh(w, inbound, enhanced, options);
        var msh = w.WrittenSpan.TrimEnd(d.Field);
        var ack = Hl7Message.FromHeader(msh, d, Hl7TextEncoding.TryResolve(FirstRepetition(charset, d), out var encoding) ? encoding : Hl7TextEncoding.Utf8);
        w.ResetWrittenCount();
        WriteMsa(w, inbound, code);
        ack.InsertSegmentBytes(1, w.WrittenSpan.TrimEnd(d.Field));
        return ack;
    }

    /// <summary>
    /// The bytes of an ACK that is only MSH and MSA, written straight to one array: the same bytes as
    /// <see cref="Create"/> serialized, without building a message to serialize (the ACK of every accepted message).
    /// </summary>
    public static byte[] CreateBytes(Hl7Message inbound, AckCode code, bool enhanced, AckOptions options)
    {
        var d = inbound.Delimiters;
        var w = new ArrayBufferWriter<byte>(320);
        WriteMsh(w, inbound, enhanced, options);
        var mshWritten = w.WrittenCount;
        var mshLength = w.WrittenSpan.TrimEnd(d.Field).Length;
        WriteMsa(w, inbound, code);
        var msaBytes = w.WrittenSpan[mshWritten..].TrimEnd(d.Field);
        var bytes = new byte[mshLength + 1 + msaBytes.Length + 1];
        w.WrittenSpan[..mshLength].CopyTo(bytes);
        bytes[mshLength] = (byte)'\r';
        msaBytes.CopyTo(bytes.AsSpan(mshLength + 1));
        bytes[^1] = (byte)'\r';
        return bytes;
    }

    /// <summary>Writes the ACK's MSH (trailing empty fields included); returns the inbound MSH-18.</summary>
    private static ReadOnlySpan<byte> WriteMsh(ArrayBufferWriter<byte> w, Hl7Message inbound, bool enhanced, AckOptions options)
    {
        var d = inbound.Delimiters;
        var text = inbound.Encoding;
        w.Write("MSH"u8);
        Put(w, d.Field);
        d.WriteEncodingCharacters(w.GetSpan(5));
        w.Advance(d.EncodingCharacterCount);
        Field(w, d, inbound, Msh5, options.ApplicationName, text);
        Field(w, d, inbound, Msh6, options.FacilityName, text);
        Field(w, d, inbound, Msh3, string.Empty, text);
        Field(w, d, inbound, Msh4, string.Empty, text);
        Put(w, d.Field);
        Text(w, Now(options.Clock), d, text);
        Put(w, d.Field);
        Put(w, d.Field);
        w.Write("ACK"u8);
        var trigger = inbound.Get(Hl7Message.TriggerEventPath).Span;
        if (!trigger.IsEmpty)
        {
            Put(w, d.Component);
            Raw(w, trigger);
            Put(w, d.Component);
            w.Write("ACK"u8);
        }
        Put(w, d.Field);
        Text(w, options.NewControlId(), d, text);
        Field(w, d, inbound, Msh11, "P", text);
        Field(w, d, inbound, Msh12, "2.5.1", text);
        var charset = inbound.Get(Msh18).Span;
        if (enhanced || !charset.IsEmpty)
        {
            Put(w, d.Field);
            Put(w, d.Field);
            Put(w, d.Field);
            if (enhanced)
            {
                w.Write("NE"u8);
            }
            Put(w, d.Field);
            if (enhanced)
            {
                w.Write("NE"u8);
            }
            Put(w, d.Field);
            Put(w, d.Field);
            Raw(w, charset);
        }
        return charset;
    }

    /// <summary>MSH-7 for an ACK sent now: formatted once per second of the clock, not once per ACK.</summary>
    private static string Now(TimeProvider clock)
    {
        var second = clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond;
        var last = s_lastTimestamp;
        if (last is not null && last.Second == second && ReferenceEquals(last.Clock, clock))
        {
            return last.Text;
        }
        var local = clock.GetLocalNow();
        last = new FormattedSecond(clock, local.UtcTicks / TimeSpan.TicksPerSecond, Hl7Timestamp.Format(local));
        s_lastTimestamp = last;
        return last.Text;
    }

    private sealed record FormattedSecond(TimeProvider Clock, long Second, string Text);

    private static void WriteMsa(ArrayBufferWriter<byte> w, Hl7Message inbound, AckCode code)
    {
        var d = inbound.Delimiters;
        w.Write("MSA"u8);
        Put(w, d.Field);
        Text(w, AckBuilder.MsaCode(code), d, inbound.Encoding);
        Put(w, d.Field);
        Raw(w, inbound.Get(Hl7Message.ControlIdPath).Span);
    }

    private static void Field(ArrayBufferWriter<byte> w, Hl7Delimiters d, Hl7Message inbound, in Hl7Path path, string fallback, Hl7TextEncoding text)
    {
        Put(w, d.Field);
        var value = inbound.Get(path).Span;
        if (!value.IsEmpty)
        {
            Raw(w, value);
        }
        else if (fallback.Length > 0)
        {
            Text(w, fallback, d, text);
        }
    }

    /// <summary>Copies raw field bytes, dropping line breaks a tolerated continuation line left in them so the ACK stays one segment per line.</summary>
    private static void Raw(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            var cut = value.IndexOfAny((byte)'\r', (byte)'\n');
            w.Write(cut < 0 ? value : value[..cut]);
            value = cut < 0 ? default : value[(cut + 1)..];
        }
    }

    private static void Text(ArrayBufferWriter<byte> w, string value, Hl7Delimiters d, Hl7TextEncoding text) => Hl7Escaping.Encode(value, d, text, w);

    private static void Put(ArrayBufferWriter<byte> w, byte value) => w.Write([value]);

    private static ReadOnlySpan<byte> FirstRepetition(ReadOnlySpan<byte> value, Hl7Delimiters d)
    {
        var cut = value.IndexOf(d.Repetition);
        return cut < 0 ? value : value[..cut];
    }
}
