using System.Text;

namespace Sinew.Hl7v2;

/// <summary>One segment of a message, viewed over its bytes (without the terminator).</summary>
public readonly struct Segment
{
    private readonly Hl7TextEncoding encoding;

    internal Segment(ReadOnlyMemory<byte> raw, Hl7Delimiters delimiters, Hl7TextEncoding encoding, int index)
    {
        Raw = raw;
        Delimiters = delimiters;
        this.encoding = encoding;
        Index = index;
    }

    /// <summary>The segment bytes exactly as in the message, without the terminator.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The delimiters of the message.</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>Position of the segment in the message (0-based).</summary>
    public int Index { get; }

    /// <summary>The segment identifier bytes, e.g. <c>PID</c>.</summary>
    public ReadOnlySpan<byte> NameBytes => Raw.Span[..Math.Min(3, Raw.Length)];

    /// <summary>The segment identifier, e.g. "PID" (allocates; prefer <see cref="Is"/> on hot paths).</summary>
    public string Name => Encoding.ASCII.GetString(NameBytes);

    /// <summary>True for MSH, FHS and BHS, whose field 1 is the field separator.</summary>
    public bool IsHeader => Pieces.IsHeaderName(Raw.Span);

    /// <summary>Number of the last field present (MSH counts MSH-1).</summary>
    public int FieldCount => Raw.IsEmpty ? 0 : Raw.Span.Count(Delimiters.Field) + (IsHeader ? 1 : 0);

    /// <summary>True when the segment identifier equals <paramref name="name"/>, e.g. <c>"PID"u8</c>.</summary>
    public bool Is(ReadOnlySpan<byte> name) => NameBytes.SequenceEqual(name);

    /// <summary>Field <paramref name="position"/> (1-based); empty when absent.</summary>
    public Field Field(int position)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        var header = IsHeader;
        var found = Pieces.TryFindField(Raw.Span, Delimiters, header, position, out var start, out var length, out _);
        return new Field(Raw.Slice(start, length), Delimiters, encoding, found, literal: header && position <= 2);
    }

    internal Hl7TextEncoding TextEncoding => encoding;

    /// <summary>The segment as text (escapes left as written).</summary>
    public override string ToString() => encoding.Encoding.GetString(Raw.Span);
}
