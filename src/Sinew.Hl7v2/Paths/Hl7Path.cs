using System.Diagnostics.CodeAnalysis;

namespace Sinew.Hl7v2;

/// <summary>
/// A position in a message such as <c>PID-3[2].1.2</c>, <c>OBX[3]-5</c> or <c>FT1-7.1</c>, parsed once and reused for every
/// message. Positions are 1-based; an omitted repetition means "the whole field" when no component is given, else the first.
/// </summary>
public readonly record struct Hl7Path
{
    private readonly int segmentKey;

    private Hl7Path(string segment, int occurrence, int field, int repetition, int component, int subComponent)
    {
        Segment = segment;
        segmentKey = segment[0] | (segment[1] << 8) | (segment[2] << 16);
        SegmentOccurrence = occurrence;
        Field = field;
        Repetition = repetition;
        Component = component;
        SubComponent = subComponent;
    }

    /// <summary>Segment identifier, e.g. "PID".</summary>
    public string Segment { get; }

    /// <summary>Which occurrence of the segment (1 = first).</summary>
    public int SegmentOccurrence { get; }

    /// <summary>Field position; 0 addresses the whole segment.</summary>
    public int Field { get; }

    /// <summary>Repetition position; 0 when not given (whole field, or first repetition when a component is given).</summary>
    public int Repetition { get; }

    /// <summary>Component position; 0 for the whole repetition.</summary>
    public int Component { get; }

    /// <summary>Sub-component position; 0 for the whole component.</summary>
    public int SubComponent { get; }

    /// <summary>Builds a path from its parts.</summary>
    public static Hl7Path Create(string segment, int field, int repetition = 0, int component = 0, int subComponent = 0, int segmentOccurrence = 1)
    {
        if (!IsSegmentName(segment))
        {
            throw new ArgumentException($"'{segment}' is not a three-character segment identifier.", nameof(segment));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentOccurrence, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(field);
        ArgumentOutOfRangeException.ThrowIfNegative(repetition);
        ArgumentOutOfRangeException.ThrowIfNegative(component);
        ArgumentOutOfRangeException.ThrowIfNegative(subComponent);
        return new Hl7Path(segment, segmentOccurrence, field, repetition, component, subComponent);
    }

    /// <summary>Parses a path; throws <see cref="FormatException"/> when malformed (use <see cref="TryParse"/> for user input).</summary>
    public static Hl7Path Parse(string text) =>
        TryParse(text, out var path) ? path : throw new FormatException($"'{text}' is not an HL7 v2 path such as PID-3[2].1.2.");

    /// <summary>Parses a path such as <c>PID-3[2].1.2</c>; returns false when malformed.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hl7Path path)
    {
        path = default;
        if (text is null || text.Length < 3 || !IsSegmentName(text.AsSpan(0, 3)))
        {
            return false;
        }
        var span = text.AsSpan(3);
        var occurrence = 1;
        if (!TryBracket(ref span, ref occurrence))
        {
            return false;
        }
        int field = 0, repetition = 0, component = 0, sub = 0;
        if (!span.IsEmpty)
        {
            if ((span[0] != '-' && span[0] != '.') || !TryNumber(ref span, out field) || !TryBracket(ref span, ref repetition))
            {
                return false;
            }
            if (!span.IsEmpty && (span[0] != '.' || !TryNumber(ref span, out component)))
            {
                return false;
            }
            if (!span.IsEmpty && (span[0] != '.' || !TryNumber(ref span, out sub)))
            {
                return false;
            }
            if (!span.IsEmpty)
            {
                return false;
            }
        }
        path = new Hl7Path(text[..3], occurrence, field, repetition, component, sub);
        return true;
    }

    /// <summary>True when <paramref name="segment"/> (a segment's first bytes) has this path's identifier.</summary>
    public bool MatchesSegment(ReadOnlySpan<byte> segment) =>
        segment.Length >= 3 && (segment[0] | (segment[1] << 8) | (segment[2] << 16)) == segmentKey;

    /// <summary>The same path at another occurrence of the segment.</summary>
    public Hl7Path WithSegmentOccurrence(int occurrence) => Create(Segment, Field, Repetition, Component, SubComponent, occurrence);

    /// <summary>The same path at another repetition of the field.</summary>
    public Hl7Path WithRepetition(int repetition) => Create(Segment, Field, repetition, Component, SubComponent, SegmentOccurrence);

    /// <summary>Renders the path in its canonical form, e.g. <c>OBX[3]-5[1].2</c>.</summary>
    public override string ToString()
    {
        var text = SegmentOccurrence > 1 ? $"{Segment}[{SegmentOccurrence}]" : Segment;
        if (Field == 0)
        {
            return text;
        }
        text += $"-{Field}";
        if (Repetition > 0)
        {
            text += $"[{Repetition}]";
        }
        if (Component > 0)
        {
            text += $".{Component}";
        }
        if (SubComponent > 0)
        {
            text += $".{SubComponent}";
        }
        return text;
    }

    private static bool IsSegmentName(ReadOnlySpan<char> name)
    {
        if (name.Length != 3)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryBracket(ref ReadOnlySpan<char> span, ref int value)
    {
        if (span.IsEmpty || span[0] != '[')
        {
            return true;
        }
        var close = span.IndexOf(']');
        if (close < 2 || !int.TryParse(span[1..close], System.Globalization.NumberStyles.None, null, out value) || value < 1)
        {
            return false;
        }
        span = span[(close + 1)..];
        return true;
    }

    private static bool TryNumber(ref ReadOnlySpan<char> span, out int value)
    {
        span = span[1..];
        var length = 0;
        while (length < span.Length && char.IsAsciiDigit(span[length]))
        {
            length++;
        }
        value = 0;
        if (length == 0 || !int.TryParse(span[..length], System.Globalization.NumberStyles.None, null, out value) || value < 1)
        {
            return false;
        }
        span = span[length..];
        return true;
    }
}
