using System.Globalization;

namespace Sinew.Hl7v2;

/// <summary>Reads HL7 NM and SI values straight from bytes.</summary>
internal static class Hl7Numbers
{
    public static bool TryParseDecimal(ReadOnlySpan<byte> raw, out decimal value)
    {
        var trimmed = raw.Trim((byte)' ');
        value = 0;
        return !trimmed.IsEmpty && IsNumeric(trimmed) &&
            decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseInt64(ReadOnlySpan<byte> raw, out long value)
    {
        var trimmed = raw.Trim((byte)' ');
        value = 0;
        return !trimmed.IsEmpty && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>NM: optional leading sign, digits, at most one decimal point.</summary>
    public static bool IsNumeric(ReadOnlySpan<byte> raw)
    {
        var start = raw.Length > 0 && (raw[0] == (byte)'+' || raw[0] == (byte)'-') ? 1 : 0;
        var digits = 0;
        var points = 0;
        for (var i = start; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'.')
            {
                points++;
            }
            else if (raw[i] >= (byte)'0' && raw[i] <= (byte)'9')
            {
                digits++;
            }
            else
            {
                return false;
            }
        }
        return digits > 0 && points <= 1;
    }
}
