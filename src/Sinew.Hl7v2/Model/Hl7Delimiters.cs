namespace Sinew.Hl7v2;

/// <summary>The encoding characters of one message, read from MSH-1 and MSH-2 (or FHS/BHS), so any legal set is honoured.</summary>
/// <param name="Field">Field separator (MSH-1), usually <c>|</c>.</param>
/// <param name="Component">Component separator, usually <c>^</c>.</param>
/// <param name="Repetition">Repetition separator, usually <c>~</c>.</param>
/// <param name="Escape">Escape character, usually <c>\</c>; 0 when the message declares none.</param>
/// <param name="SubComponent">Sub-component separator, usually <c>&amp;</c>; 0 when the message declares none.</param>
/// <param name="Truncation">Truncation character of v2.7+, usually <c>#</c>; 0 when the message declares none.</param>
public readonly record struct Hl7Delimiters(byte Field, byte Component, byte Repetition, byte Escape, byte SubComponent, byte Truncation)
{
    /// <summary>The standard set <c>|^~\&amp;</c> without a truncation character.</summary>
    public static Hl7Delimiters Standard => new((byte)'|', (byte)'^', (byte)'~', (byte)'\\', (byte)'&', 0);

    /// <summary>Number of encoding characters written in MSH-2 (4, or 5 with a truncation character).</summary>
    public int EncodingCharacterCount => Truncation != 0 ? 5 : SubComponent != 0 ? 4 : Escape != 0 ? 3 : 2;

    /// <summary>Writes MSH-2 (the encoding characters) into <paramref name="destination"/> and returns the count written.</summary>
    public int WriteEncodingCharacters(Span<byte> destination)
    {
        var count = EncodingCharacterCount;
        destination[0] = Component;
        destination[1] = Repetition;
        if (count > 2)
        {
            destination[2] = Escape;
        }
        if (count > 3)
        {
            destination[3] = SubComponent;
        }
        if (count > 4)
        {
            destination[4] = Truncation;
        }
        return count;
    }

    /// <summary>True when <paramref name="value"/> is one of the separators or the escape character.</summary>
    public bool IsDelimiter(byte value) =>
        value != 0 && (value == Field || value == Component || value == Repetition || value == Escape || value == SubComponent);

    /// <summary>
    /// Reads the delimiters of a header segment (MSH, FHS, BHS) starting at its first byte.
    /// Returns false, with <see cref="Standard"/> separators after the declared field separator, when the set is not legal.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> header, out Hl7Delimiters delimiters)
    {
        delimiters = Standard;
        if (header.Length < 4)
        {
            return false;
        }
        var field = header[3];
        if (!IsLegal(field))
        {
            return false;
        }
        var rest = header[4..];
        var end = rest.IndexOf(field);
        var encoding = end < 0 ? rest : rest[..end];
        delimiters = Standard with { Field = field };
        if (encoding.Length < 2 || encoding.Length > 5)
        {
            return false;
        }
        Span<byte> seen = stackalloc byte[6];
        seen[0] = field;
        for (var i = 0; i < encoding.Length; i++)
        {
            var c = encoding[i];
            if (!IsLegal(c) || seen[..(i + 1)].Contains(c))
            {
                return false;
            }
            seen[i + 1] = c;
        }
        delimiters = new Hl7Delimiters(
            field,
            encoding[0],
            encoding[1],
            encoding.Length > 2 ? encoding[2] : (byte)0,
            encoding.Length > 3 ? encoding[3] : (byte)0,
            encoding.Length > 4 ? encoding[4] : (byte)0);
        return true;
    }

    private static bool IsLegal(byte c) =>
        c > 0x20 && c < 0x7F && !(c >= (byte)'0' && c <= (byte)'9') && !(c >= (byte)'A' && c <= (byte)'Z') && !(c >= (byte)'a' && c <= (byte)'z');
}
