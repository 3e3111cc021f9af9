namespace Sinew.Hl7v2;

/// <summary>Writes one ERR segment for an issue: ERR-2/3/4/8 from v2.5 on, the ERR-1 (ELD) form before.</summary>
internal static class AckErrors
{
    public static void Add(Hl7Message ack, int occurrence, Hl7Issue issue, string version, bool includeText)
    {
        ack.AddSegment("ERR");
        var (code, text) = HL70357.For(issue.Code, version);
        var location = issue.Location;
        if (string.CompareOrdinal(version, "2.5") < 0)
        {
            if (location.Segment.Length == 3)
            {
                Set(ack, occurrence, 1, 1, location.Segment);
                Set(ack, occurrence, 1, 2, Number(location.SegmentSequence));
                Set(ack, occurrence, 1, 3, Number(location.Field));
            }
            ack.Set(Hl7Path.Create("ERR", 1, 1, 4, 1, occurrence), code);
            ack.Set(Hl7Path.Create("ERR", 1, 1, 4, 2, occurrence), text);
            ack.Set(Hl7Path.Create("ERR", 1, 1, 4, 3, occurrence), "HL70357");
            return;
        }
        if (location.Segment.Length == 3)
        {
            Set(ack, occurrence, 2, 1, location.Segment);
            Set(ack, occurrence, 2, 2, Number(location.SegmentSequence));
            Set(ack, occurrence, 2, 3, Number(location.Field));
            Set(ack, occurrence, 2, 4, Number(location.Repetition));
            Set(ack, occurrence, 2, 5, Number(location.Component));
            Set(ack, occurrence, 2, 6, Number(location.SubComponent));
        }
        Set(ack, occurrence, 3, 1, code);
        Set(ack, occurrence, 3, 2, text);
        Set(ack, occurrence, 3, 3, "HL70357");
        ack.Set(Hl7Path.Create("ERR", 4, segmentOccurrence: occurrence), issue.Severity == Hl7Severity.Error ? "E" : issue.Severity == Hl7Severity.Warning ? "W" : "I");
        if (includeText)
        {
            ack.Set(Hl7Path.Create("ERR", 8, segmentOccurrence: occurrence), $"{(int)issue.Code} {issue.Code}: {issue.Message}");
        }
    }

    private static void Set(Hl7Message ack, int occurrence, int field, int component, string value)
    {
        if (value.Length > 0)
        {
            ack.Set(Hl7Path.Create("ERR", field, 1, component, segmentOccurrence: occurrence), value);
        }
    }

    private static string Number(int value) => value > 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
}
