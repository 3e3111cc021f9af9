using System.Text;

namespace Sinew.Hl7v2;

/// <summary>How text of a message is turned into bytes and back, chosen from MSH-18; the bytes on the wire are never re-encoded.</summary>
public sealed class Hl7TextEncoding
{
    private Hl7TextEncoding(string name, Encoding encoding, bool sevenBit)
    {
        Name = name;
        Encoding = encoding;
        SevenBit = sevenBit;
    }

    /// <summary>ASCII, the HL7 default when MSH-18 is empty; read leniently as UTF-8, written with <c>\Xhh\</c> for anything beyond 7 bits.</summary>
    public static Hl7TextEncoding Ascii { get; } = new("ASCII", new UTF8Encoding(false, false), sevenBit: true);

    /// <summary>ISO 8859-1 (MSH-18 <c>8859/1</c>).</summary>
    public static Hl7TextEncoding Latin1 { get; } = new("8859/1", Encoding.Latin1, sevenBit: false);

    /// <summary>UTF-8 (MSH-18 <c>UNICODE UTF-8</c>).</summary>
    public static Hl7TextEncoding Utf8 { get; } = new("UNICODE UTF-8", new UTF8Encoding(false, false), sevenBit: false);

    /// <summary>The MSH-18 term, e.g. "8859/1".</summary>
    public string Name { get; }

    /// <summary>The .NET encoding used to decode and encode text.</summary>
    public Encoding Encoding { get; }

    /// <summary>True when only 7-bit bytes may be written; other characters are escaped as <c>\Xhh\</c> (UTF-8 bytes).</summary>
    public bool SevenBit { get; }

    /// <summary>Resolves an MSH-18 value; returns false (and <see cref="Utf8"/>) for a set this codec does not know.</summary>
    public static bool TryResolve(ReadOnlySpan<byte> msh18, out Hl7TextEncoding encoding)
    {
        var term = msh18.Trim((byte)' ');
        if (term.IsEmpty || term.SequenceEqual("ASCII"u8))
        {
            encoding = Ascii;
            return true;
        }
        if (term.SequenceEqual("8859/1"u8))
        {
            encoding = Latin1;
            return true;
        }
        if (term.SequenceEqual("UNICODE UTF-8"u8) || term.SequenceEqual("UTF-8"u8) || term.SequenceEqual("UNICODE"u8))
        {
            encoding = Utf8;
            return true;
        }
        var codePage = CodePageOf(term);
        if (codePage != 0 && System.Text.CodePagesEncodingProvider.Instance.GetEncoding(codePage) is { } other)
        {
            encoding = new Hl7TextEncoding(Encoding.ASCII.GetString(term), other, sevenBit: false);
            return true;
        }
        encoding = Utf8;
        return false;
    }

    private static int CodePageOf(ReadOnlySpan<byte> term) => term switch
    {
        _ when term.SequenceEqual("8859/2"u8) => 28592,
        _ when term.SequenceEqual("8859/3"u8) => 28593,
        _ when term.SequenceEqual("8859/4"u8) => 28594,
        _ when term.SequenceEqual("8859/5"u8) => 28595,
        _ when term.SequenceEqual("8859/6"u8) => 28596,
        _ when term.SequenceEqual("8859/7"u8) => 28597,
        _ when term.SequenceEqual("8859/8"u8) => 28598,
        _ when term.SequenceEqual("8859/9"u8) => 28599,
        _ when term.SequenceEqual("8859/15"u8) => 28605,
        _ => 0,
    };

    /// <inheritdoc/>
    public override string ToString() => Name;
}
