namespace Sinew.Hl7v2;

/// <summary>Checks the lexical form of the HL7 data types whose form can be checked without tables.</summary>
internal static class Hl7DataTypes
{
    public static bool IsValid(string type, ReadOnlySpan<byte> whole, ReadOnlySpan<byte> firstComponent, byte componentSeparator = (byte)'^') => type switch
    {
        "NM" => Hl7Numbers.IsNumeric(whole.Trim((byte)' ')),
        "SI" => whole.Length > 0 && whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0,
        "DT" => IsDate(whole),
        "DTM" => Hl7Timestamp.TryParse(whole, out _),
        "TS" or "DIN" => Hl7Timestamp.TryParse(firstComponent, out _),
        "TM" => IsTime(whole),
        "SN" => IsStructuredNumeric(whole, componentSeparator),
        "HD" => IsHierarchicDesignator(whole, componentSeparator),
        _ => true,
    };

    private static bool IsStructuredNumeric(ReadOnlySpan<byte> value, byte separator)
    {
        for (var i = 1; i <= 4; i++)
        {
            if (!Pieces.TryFind(value, separator, i - 1, out var start, out var length, out _) || length == 0)
            {
                continue;
            }
            var part = value.Slice(start, length);
            var ok = i switch
            {
                1 => part.SequenceEqual(">"u8) || part.SequenceEqual("<"u8) || part.SequenceEqual(">="u8) || part.SequenceEqual("<="u8) || part.SequenceEqual("="u8) || part.SequenceEqual("<>"u8),
                3 => part.SequenceEqual("-"u8) || part.SequenceEqual("+"u8) || part.SequenceEqual("/"u8) || part.SequenceEqual("."u8) || part.SequenceEqual(":"u8),
                _ => Hl7Numbers.IsNumeric(part),
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>HD: the universal id (HD.2) and its type (HD.3) are valued together or not at all.</summary>
    private static bool IsHierarchicDesignator(ReadOnlySpan<byte> value, byte separator)
    {
        var universal = Pieces.TryFind(value, separator, 1, out _, out var universalLength, out _) && universalLength > 0;
        var type = Pieces.TryFind(value, separator, 2, out _, out var typeLength, out _) && typeLength > 0;
        return universal == type;
    }

    private static bool IsDate(ReadOnlySpan<byte> value) =>
        value.Length is 4 or 6 or 8 && Hl7Timestamp.TryParse(value, out _);

    private static bool IsTime(ReadOnlySpan<byte> value)
    {
        var zone = value.IndexOfAny((byte)'+', (byte)'-');
        var main = zone < 0 ? value : value[..zone];
        var dot = main.IndexOf((byte)'.');
        var digits = dot < 0 ? main : main[..dot];
        if (digits.Length is not (2 or 4 or 6) || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        Span<byte> stamp = stackalloc byte[14];
        "20000101"u8.CopyTo(stamp);
        digits.CopyTo(stamp[8..]);
        return Hl7Timestamp.TryParse(stamp[..(8 + digits.Length)], out _);
    }
}
