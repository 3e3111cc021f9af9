namespace Sinew.X12;

/// <summary>The ISA field rules: widths when fixed, and values; each failure maps to its TA1 note code.</summary>
internal static class X12IsaChecker
{
    // Width of ISA01..ISA16 and the TA105 note code reported when the field is wrong.
    private static readonly int[] Widths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
    private static readonly string[] NoteCodes = ["010", "011", "012", "013", "005", "006", "007", "008", "014", "015", "016", "017", "018", "019", "020", "027"];

    public delegate void Report(int element, string noteCode, string message, bool isError);

    public static void Check(X12Segment isa, bool fixedWidth, Report report)
    {
        var count = isa.ElementCount;
        if (count != 16)
        {
            report(0, "022", $"ISA has {count} elements instead of 16", true);
            return;
        }
        for (var i = 1; i <= 16; i++)
        {
            var value = isa.GetElement(i);
            if (fixedWidth && value.Length != Widths[i - 1])
            {
                report(i, NoteCodes[i - 1], $"ISA{i:00} is {value.Length} characters wide instead of {Widths[i - 1]}", true);
            }
        }
        var date = isa.GetElement(9).Trim((byte)' ');
        if (!X12ElementChecker.IsDate(date) || date.Length != 6)
        {
            report(9, "014", "ISA09 is not a YYMMDD date", true);
        }
        var time = isa.GetElement(10).Trim((byte)' ');
        if (time.Length != 4 || !X12ElementChecker.IsTime(time))
        {
            report(10, "015", "ISA10 is not an HHMM time", true);
        }
        var control = isa.GetElement(13).Trim((byte)' ');
        if (control.IsEmpty || control.Length > 9 || control.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            report(13, "018", "ISA13 control number is not 9 digits", true);
        }
        var ack = isa.GetElement(14).Trim((byte)' ');
        if (!(ack.SequenceEqual("0"u8) || ack.SequenceEqual("1"u8)))
        {
            report(14, "019", "ISA14 acknowledgment requested must be 0 or 1", true);
        }
        var usage = isa.GetElement(15).Trim((byte)' ');
        if (!(usage.SequenceEqual("P"u8) || usage.SequenceEqual("T"u8) || usage.SequenceEqual("I"u8)))
        {
            report(15, "020", "ISA15 usage indicator must be P, T or I", true);
        }
    }
}
