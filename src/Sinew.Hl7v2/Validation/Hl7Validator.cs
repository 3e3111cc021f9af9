namespace Sinew.Hl7v2;

/// <summary>Checks a parsed message against profiles: structure (required segments, groups, cardinality) and field rules.</summary>
public static class Hl7Validator
{
    /// <summary>Validates <paramref name="message"/>; returns issues with stable codes and locations (empty when it conforms).</summary>
    public static IReadOnlyList<Hl7Issue> Validate(Hl7Message message, Hl7ProfileSet profiles)
    {
        var issues = new List<Hl7Issue>();
        var names = SegmentNames(message);
        foreach (var profile in profiles.Common)
        {
            CheckFields(message, names, profile, issues);
        }
        var type = message.MessageType;
        if (profiles.TryGet(type, out var specific))
        {
            if (specific.Structure.Count > 0)
            {
                Hl7StructureMatcher.Match(specific.Structure, names, issues);
            }
            CheckFields(message, names, specific, issues);
        }
        else
        {
            issues.Add(new Hl7Issue(Hl7IssueCode.NoProfileForMessageType, Hl7Severity.Information, new Hl7Location("MSH", 1, 9),
                $"No profile for message type {type}; only the rules for every message were checked."));
        }
        CheckObservationValues(message, names, issues);
        return issues;
    }

    private static string[] SegmentNames(Hl7Message message)
    {
        var names = new string[message.SegmentCount];
        var distinct = new Dictionary<int, string>();
        for (var i = 0; i < names.Length; i++)
        {
            var bytes = message[i].NameBytes;
            var key = bytes.Length == 3 ? bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) : -1;
            if (key < 0 || !distinct.TryGetValue(key, out var name))
            {
                name = message[i].Name;
                if (key >= 0)
                {
                    distinct[key] = name;
                }
            }
            names[i] = name;
        }
        return names;
    }

    private static void CheckFields(Hl7Message message, string[] names, Hl7Profile profile, List<Hl7Issue> issues)
    {
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        Span<int> buffer = stackalloc int[FieldIndex.MaxFields + 2];
        for (var i = 0; i < names.Length; i++)
        {
            if (!profile.Fields.TryGetValue(names[i], out var rules))
            {
                continue;
            }
            var occurrence = occurrences[names[i]] = occurrences.GetValueOrDefault(names[i]) + 1;
            var fields = new FieldIndex(message[i], buffer);
            for (var r = 0; r < rules.Count; r++)
            {
                Hl7FieldChecks.Check(fields, names[i], occurrence, rules[r], issues);
            }
        }
    }

    private static readonly Hl7FieldRule[] ObservationRules =
        [.. new[] { "NM", "SN", "DT", "DTM", "TS", "TM" }.Select(type => new Hl7FieldRule(5, Hl7Usage.Optional, type, null, null, []))];

    private static void CheckObservationValues(Hl7Message message, string[] names, List<Hl7Issue> issues)
    {
        var occurrence = 0;
        Span<int> buffer = stackalloc int[FieldIndex.MaxFields + 2];
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] != "OBX")
            {
                continue;
            }
            occurrence++;
            var segment = message[i];
            var valueType = segment.Field(2).Raw.Span;
            foreach (var rule in ObservationRules)
            {
                if (valueType.Length == rule.DataType!.Length && System.Text.Ascii.Equals(valueType, rule.DataType))
                {
                    Hl7FieldChecks.Check(new FieldIndex(segment, buffer), "OBX", occurrence, rule, issues);
                    break;
                }
            }
        }
    }
}
