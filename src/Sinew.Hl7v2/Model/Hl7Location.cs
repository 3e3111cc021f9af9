namespace Sinew.Hl7v2;

/// <summary>Where an issue is, in ERR-2 (ERL) terms; positions are 1-based and 0 means "not applicable".</summary>
/// <param name="Segment">Segment identifier, e.g. "PID"; empty for the whole message.</param>
/// <param name="SegmentSequence">Occurrence of that segment in the message (1 = first PID).</param>
/// <param name="Field">Field position.</param>
/// <param name="Repetition">Field repetition.</param>
/// <param name="Component">Component position.</param>
/// <param name="SubComponent">Sub-component position.</param>
public readonly record struct Hl7Location(string Segment, int SegmentSequence = 0, int Field = 0, int Repetition = 0, int Component = 0, int SubComponent = 0)
{
    /// <summary>The location of the whole message.</summary>
    public static Hl7Location Message => new(string.Empty);

    /// <summary>Renders the location as a path such as <c>PID[1]-3[2].1</c>.</summary>
    public override string ToString()
    {
        if (Segment.Length == 0)
        {
            return "message";
        }
        var text = SegmentSequence > 1 ? $"{Segment}[{SegmentSequence}]" : Segment;
        if (Field > 0)
        {
            text += $"-{Field}";
            if (Repetition > 1)
            {
                text += $"[{Repetition}]";
            }
            if (Component > 0)
            {
                text += $".{Component}";
                if (SubComponent > 0)
                {
                    text += $".{SubComponent}";
                }
            }
        }
        return text;
    }
}
