using System.Globalization;

namespace Sinew.Hl7v2;

/// <summary>An HL7 TS/DTM/DT value <c>YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]</c> with the precision it was sent with.</summary>
/// <param name="Value">The instant; when no offset was sent, the offset is zero and <paramref name="HasOffset"/> is false.</param>
/// <param name="Precision">Number of significant digits before the fraction: 4 (year) to 14 (second).</param>
/// <param name="FractionDigits">Digits after the decimal point (0-4).</param>
/// <param name="HasOffset">True when a time zone offset was sent.</param>
public readonly record struct Hl7Timestamp(DateTimeOffset Value, int Precision, int FractionDigits, bool HasOffset)
{
    /// <summary>Parses a TS/DTM value; returns false for anything that is not a legal date-time.</summary>
    public static bool TryParse(ReadOnlySpan<byte> raw, out Hl7Timestamp timestamp)
    {
        timestamp = default;
        var zone = raw.IndexOfAny((byte)'+', (byte)'-');
        var main = zone < 0 ? raw : raw[..zone];
        var dot = main.IndexOf((byte)'.');
        var digits = dot < 0 ? main : main[..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? default : main[(dot + 1)..];
        if (digits.Length is not (4 or 6 or 8 or 10 or 12 or 14) || !AllDigits(digits) || fraction.Length > 4 || (dot >= 0 && (digits.Length != 14 || fraction.IsEmpty || !AllDigits(fraction))))
        {
            return false;
        }
        var year = Number(digits, 0, 4, 1);
        var month = Number(digits, 4, 2, 1);
        var day = Number(digits, 6, 2, 1);
        var hour = Number(digits, 8, 2, 0);
        var minute = Number(digits, 10, 2, 0);
        var second = Number(digits, 12, 2, 0);
        var offset = TimeSpan.Zero;
        if (zone >= 0)
        {
            var z = raw[(zone + 1)..];
            if (z.Length != 4 || !AllDigits(z) || Number(z, 0, 2, 0) > 14 || Number(z, 2, 2, 0) > 59)
            {
                return false;
            }
            offset = new TimeSpan(Number(z, 0, 2, 0), Number(z, 2, 2, 0), 0);
            if (raw[zone] == (byte)'-')
            {
                offset = -offset;
            }
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }
        var ticks = 0L;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }
        var value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        timestamp = new Hl7Timestamp(value, digits.Length, fraction.Length, zone >= 0);
        return true;
    }

    /// <summary>Parses text such as "20240131123000-0500".</summary>
    public static bool TryParse(string text, out Hl7Timestamp timestamp) =>
        TryParse(System.Text.Encoding.ASCII.GetBytes(text), out timestamp);

    /// <summary>Formats an instant as <c>yyyyMMddHHmmss+ZZZZ</c>.</summary>
    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{value:yyyyMMddHHmmss}{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    private static bool AllDigits(ReadOnlySpan<byte> span) => span.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static int Number(ReadOnlySpan<byte> digits, int start, int length, int missing)
    {
        if (digits.Length < start + length)
        {
            return missing;
        }
        var value = 0;
        foreach (var d in digits.Slice(start, length))
        {
            value = (value * 10) + (d - '0');
        }
        return value;
    }
}
