using System.Buffers;
using System.Text;

namespace Sinew.Hl7v2;

/// <summary>
/// Turns escaped field bytes into text and text into escaped bytes. <c>\F\ \S\ \T\ \R\ \E\ \P\</c> become the delimiter,
/// <c>\Xhh..\</c> the bytes it names, <c>\.br\</c> a line feed; other formatting commands (<c>\H\</c>, <c>\.sp\</c>...) and
/// character-set switches (<c>\Cxxyy\</c>, <c>\Mxxyyzz\</c>) stay in the text as written so nothing is lost.
/// </summary>
public static class Hl7Escaping
{
    private const int StackLimit = 512;

    /// <summary>Decodes escaped bytes of one value (field, component or sub-component) into text.</summary>
    public static string Decode(ReadOnlySpan<byte> raw, Hl7Delimiters delimiters, Hl7TextEncoding encoding)
    {
        if (delimiters.Escape == 0 || raw.IndexOf(delimiters.Escape) < 0)
        {
            return encoding.Encoding.GetString(raw);
        }
        byte[]? rented = null;
        var buffer = raw.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var length = Unescape(raw, delimiters, buffer);
            return encoding.Encoding.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Unescapes <paramref name="raw"/> into <paramref name="destination"/> (at least as long) and returns the byte count.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Hl7Delimiters delimiters, Span<byte> destination)
    {
        var escape = delimiters.Escape;
        var written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var b = raw[i];
            if (b != escape || escape == 0)
            {
                destination[written++] = b;
                i++;
                continue;
            }
            var close = raw[(i + 1)..].IndexOf(escape);
            if (close < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                written += raw.Length - i;
                break;
            }
            var sequence = raw.Slice(i + 1, close);
            var single = SingleCharacter(sequence, delimiters);
            if (single != 0)
            {
                destination[written++] = single;
            }
            else if (sequence.SequenceEqual(".br"u8))
            {
                destination[written++] = (byte)'\n';
            }
            else if (sequence.Length >= 3 && sequence[0] == (byte)'X' && (sequence.Length & 1) == 1 && TryHex(sequence[1..], destination[written..], out var count))
            {
                written += count;
            }
            else
            {
                raw.Slice(i, close + 2).CopyTo(destination[written..]);
                written += close + 2;
            }
            i += close + 2;
        }
        return written;
    }

    /// <summary>Encodes text into escaped bytes for one value, escaping every delimiter, line breaks and control characters.</summary>
    /// <exception cref="ArgumentException">The text has a delimiter but the message declares no escape character, or a character the charset cannot hold.</exception>
    public static byte[] Encode(string text, Hl7Delimiters delimiters, Hl7TextEncoding encoding)
    {
        var writer = new ArrayBufferWriter<byte>(text.Length + 16);
        Encode(text, delimiters, encoding, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes text into escaped bytes written to <paramref name="writer"/>.</summary>
    public static void Encode(ReadOnlySpan<char> text, Hl7Delimiters delimiters, Hl7TextEncoding encoding, IBufferWriter<byte> writer)
    {
        Span<char> chars = stackalloc char[2];
        Span<byte> bytes = stackalloc byte[8];
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value < 0x80 && EscapeLetter((byte)value, delimiters) is var letter && letter != 0)
            {
                RequireEscape(delimiters);
                Write(writer, [delimiters.Escape, letter, delimiters.Escape]);
                continue;
            }
            if (value == '\n')
            {
                RequireEscape(delimiters);
                Write(writer, [delimiters.Escape, (byte)'.', (byte)'b', (byte)'r', delimiters.Escape]);
                continue;
            }
            var control = value < 0x20 || value == 0x7F;
            if (control || (value >= 0x80 && encoding.SevenBit))
            {
                RequireEscape(delimiters);
                var count = Encoding.UTF8.GetBytes(chars[..rune.EncodeToUtf16(chars)], bytes);
                WriteHex(writer, delimiters.Escape, bytes[..count]);
                continue;
            }
            var length = rune.EncodeToUtf16(chars);
            var n = encoding.Encoding.GetByteCount(chars[..length]);
            if (!CanHold(encoding, rune))
            {
                throw new ArgumentException($"U+{value:X4} cannot be written in character set {encoding.Name}.", nameof(text));
            }
            encoding.Encoding.GetBytes(chars[..length], writer.GetSpan(n));
            writer.Advance(n);
        }
    }

    private static bool CanHold(Hl7TextEncoding encoding, Rune rune) =>
        !ReferenceEquals(encoding, Hl7TextEncoding.Latin1) || rune.Value <= 0xFF;

    private static void RequireEscape(Hl7Delimiters delimiters)
    {
        if (delimiters.Escape == 0)
        {
            throw new ArgumentException("The text needs escaping but the message declares no escape character in MSH-2.");
        }
    }

    private static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    private static void WriteHex(IBufferWriter<byte> writer, byte escape, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(3 + (bytes.Length * 2));
        span[0] = escape;
        span[1] = (byte)'X';
        var at = 2;
        foreach (var b in bytes)
        {
            span[at++] = (byte)"0123456789ABCDEF"[b >> 4];
            span[at++] = (byte)"0123456789ABCDEF"[b & 0xF];
        }
        span[at++] = escape;
        writer.Advance(at);
    }

    private static byte EscapeLetter(byte value, Hl7Delimiters d)
    {
        if (value == 0)
        {
            return 0;
        }
        if (value == d.Field)
        {
            return (byte)'F';
        }
        if (value == d.Component)
        {
            return (byte)'S';
        }
        if (value == d.SubComponent)
        {
            return (byte)'T';
        }
        if (value == d.Repetition)
        {
            return (byte)'R';
        }
        if (value == d.Escape)
        {
            return (byte)'E';
        }
        return value == d.Truncation ? (byte)'P' : (byte)0;
    }

    private static byte SingleCharacter(ReadOnlySpan<byte> sequence, Hl7Delimiters d)
    {
        if (sequence.Length != 1)
        {
            return 0;
        }
        return sequence[0] switch
        {
            (byte)'F' => d.Field,
            (byte)'S' => d.Component,
            (byte)'T' => d.SubComponent,
            (byte)'R' => d.Repetition,
            (byte)'E' => d.Escape,
            (byte)'P' => d.Truncation,
            _ => 0,
        };
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, Span<byte> destination, out int count)
    {
        count = hex.Length / 2;
        for (var i = 0; i < count; i++)
        {
            var high = HexValue(hex[2 * i]);
            var low = HexValue(hex[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                count = 0;
                return false;
            }
            destination[i] = (byte)((high << 4) | low);
        }
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
