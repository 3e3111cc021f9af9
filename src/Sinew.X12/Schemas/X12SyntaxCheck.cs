namespace Sinew.X12;

/// <summary>
/// A syntax note compiled to bit masks over the elements present (bit n = element n), so a segment whose notes all hold
/// is cleared with a few AND and compare instructions per note. It only filters: when it says a note may be broken,
/// <see cref="X12SyntaxRule.Violation"/> decides and names the element, exactly as without the filter.
/// </summary>
internal readonly struct X12SyntaxCheck
{
    private readonly ulong _mask;
    private readonly ulong _first;
    private readonly char _kind;

    public X12SyntaxCheck(X12SyntaxRule rule)
    {
        _kind = rule.Kind;
        _mask = rule.Mask;
        _first = 1UL << rule.Positions[0];
    }

    /// <summary>False only when the note certainly holds for these present elements.</summary>
    public bool MayBeViolated(ulong present)
    {
        var named = present & _mask;
        return _kind switch
        {
            // Paired: some but not all named elements present.
            'P' => named != 0 && named != _mask,
            // Required: none present.
            'R' => named == 0,
            // Exclusion: more than one present.
            'E' => (named & (named - 1)) != 0,
            // Conditional: the first present and not all the others.
            'C' => (present & _first) != 0 && named != _mask,
            // List conditional: the first present and none of the others.
            'L' => (present & _first) != 0 && (named & ~_first) == 0,
            _ => true,
        };
    }
}
