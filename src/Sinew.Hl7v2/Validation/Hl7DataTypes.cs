namespace Sinew.Hl7v2;

/// <summary>Checks the lexical form of the HL7 data types whose form can be checked without tables.</summary>
internal static class Hl7DataTypes
{
    public static bool IsValid(string type, ReadOnlySpan<byte> whole, ReadOnlySpan<byte> firstComponent) => type switch
    {
        "NM" => Hl7Numbers.IsNumeric(whole.Trim((byte)' ')),
        "SI" => whole.Length > 0 && whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0,
        "DT" => IsDate(whole),
        "DTM" => Hl7Timestamp.TryParse(whole, out _),
        "TS" or "DIN" => Hl7Timestamp.TryParse(firstComponent, out _),
        "TM" => IsTime(whole),
        "CQ" or "SN" => true,
        _ => true,
    };

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
