namespace Sinew.X12;

/// <summary>
/// A relational condition between elements of a segment, written as in the standard's syntax notes: a letter and
/// two-digit positions, e.g. <c>P0304</c> (paired: both or neither), <c>R0203</c> (at least one), <c>E0405</c> (at most
/// one), <c>C0302</c> (if 03 then 02), <c>L030405</c> (if 03 then at least one of 04, 05).
/// </summary>
public sealed record X12SyntaxRule
{
    private X12SyntaxRule(string text, char kind, int[] positions)
    {
        Text = text;
        Kind = kind;
        Positions = positions;
        foreach (var p in positions)
        {
            Mask |= 1UL << p;
        }
    }

    /// <summary>The rule as written, e.g. "P0304".</summary>
    public string Text { get; }

    /// <summary>P, R, E, C or L.</summary>
    public char Kind { get; }

    /// <summary>The element positions the rule names, in order.</summary>
    public IReadOnlyList<int> Positions { get; }

    internal ulong Mask { get; }

    /// <summary>Parses a syntax note; false for anything malformed.</summary>
    public static bool TryParse(string text, out X12SyntaxRule rule)
    {
        rule = null!;
        if (text.Length < 5 || (text.Length - 1) % 2 != 0 || "PRECL".IndexOf(text[0], StringComparison.Ordinal) < 0)
        {
            return false;
        }
        var positions = new int[(text.Length - 1) / 2];
        for (var i = 0; i < positions.Length; i++)
        {
            if (!int.TryParse(text.AsSpan(1 + i * 2, 2), out positions[i]) || positions[i] is < 1 or > 63)
            {
                return false;
            }
        }
        rule = new X12SyntaxRule(text, text[0], positions);
        return true;
    }

    /// <summary>The position to report when the rule is broken by the elements present (bit n set = element n present), or 0 when it holds.</summary>
    internal int Violation(ulong present)
    {
        var positions = (int[])Positions;
        var count = System.Numerics.BitOperations.PopCount(present & Mask);
        switch (Kind)
        {
            case 'P' when count > 0 && count < positions.Length:
                return FirstMissing(present, positions, 0);
            case 'R' when count == 0:
                return positions[0];
            case 'E' when count > 1:
                return LastPresent(present, positions);
            case 'C' when (present & (1UL << positions[0])) != 0 && count < positions.Length:
                return FirstMissing(present, positions, 1);
            case 'L' when (present & (1UL << positions[0])) != 0 && count == 1:
                return positions[1];
            default:
                return 0;
        }
    }

    private static int FirstMissing(ulong present, int[] positions, int from)
    {
        for (var i = from; i < positions.Length; i++)
        {
            if ((present & (1UL << positions[i])) == 0)
            {
                return positions[i];
            }
        }
        return 0;
    }

    private static int LastPresent(ulong present, int[] positions)
    {
        for (var i = positions.Length - 1; i >= 0; i--)
        {
            if ((present & (1UL << positions[i])) != 0)
            {
                return positions[i];
            }
        }
        return 0;
    }
}
