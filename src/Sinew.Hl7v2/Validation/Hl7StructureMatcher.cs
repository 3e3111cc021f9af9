namespace Sinew.Hl7v2;

/// <summary>
/// Walks the segment sequence against a structure greedily: a group starts when a segment that can open it appears.
/// Z-segments are allowed anywhere; segments unknown to the profile are reported as warnings and skipped.
/// </summary>
internal static class Hl7StructureMatcher
{
    public static void Match(IReadOnlyList<Hl7StructureElement> structure, string[] names, List<Hl7Issue> issues)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        Collect(structure, known);
        var context = new Context(names, known, issues);
        var position = 0;
        MatchList(structure, context, ref position);
        while (position < names.Length)
        {
            var name = names[position];
            if (!context.SkipUnknown(ref position))
            {
                if (Array.IndexOf(names, name, 0, position) >= 0)
                {
                    context.Report(Hl7IssueCode.SegmentRepeatedTooOften, Hl7Severity.Error, position, $"{name} occurs more often than this message structure allows.");
                }
                else
                {
                    context.Report(Hl7IssueCode.SegmentSequenceError, Hl7Severity.Error, position, $"{name} is out of order for this message structure.");
                }
                position++;
            }
        }
    }

    private static void MatchList(IReadOnlyList<Hl7StructureElement> elements, Context context, ref int position)
    {
        for (var e = 0; e < elements.Count; e++)
        {
            var element = elements[e];
            var count = 0;
            while (true)
            {
                context.SkipUnknown(ref position);
                if (position >= context.Names.Length || !CanStart(element, context.Names[position]))
                {
                    break;
                }
                if (count == 1 && !element.Repeating)
                {
                    break;
                }
                if (element.Segment is not null)
                {
                    position++;
                }
                else
                {
                    MatchList(element.Children, context, ref position);
                }
                count++;
            }
            if (count == 0 && !element.Optional)
            {
                var at = Math.Min(position, context.Names.Length - 1);
                context.Report(Hl7IssueCode.RequiredSegmentMissing, Hl7Severity.Error, at,
                    element.Segment is not null ? $"Required segment {element.Segment} is missing." : $"Required group {element.Group} is missing.",
                    element.Segment);
            }
        }
    }

    private static bool CanStart(Hl7StructureElement element, string name)
    {
        if (element.Segment is not null)
        {
            return element.Segment == name;
        }
        var children = element.Children;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (CanStart(child, name))
            {
                return true;
            }
            if (!child.Optional)
            {
                return false;
            }
        }
        return false;
    }

    private static void Collect(IReadOnlyList<Hl7StructureElement> elements, HashSet<string> known)
    {
        foreach (var element in elements)
        {
            if (element.Segment is not null)
            {
                known.Add(element.Segment);
            }
            Collect(element.Children, known);
        }
    }

    private sealed class Context(string[] names, HashSet<string> knownNames, List<Hl7Issue> issues)
    {
        private readonly bool[] known = Known(names, knownNames);

        public string[] Names => names;

        private static bool[] Known(string[] names, HashSet<string> knownNames)
        {
            var known = new bool[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                known[i] = knownNames.Contains(names[i]);
            }
            return known;
        }

        public bool SkipUnknown(ref int position)
        {
            var skipped = false;
            while (position < names.Length && !known[position])
            {
                if (names[position].Length == 0 || names[position][0] != 'Z')
                {
                    Report(Hl7IssueCode.UnexpectedSegment, Hl7Severity.Warning, position, $"{names[position]} is not part of this message structure; it is ignored.");
                }
                position++;
                skipped = true;
            }
            return skipped;
        }

        public void Report(Hl7IssueCode code, Hl7Severity severity, int position, string text, string? segment = null)
        {
            var name = segment ?? (position >= 0 && position < names.Length ? names[position] : string.Empty);
            var occurrence = 0;
            if (segment is null)
            {
                for (var i = 0; i <= position && i < names.Length; i++)
                {
                    if (names[i] == name)
                    {
                        occurrence++;
                    }
                }
            }
            issues.Add(new Hl7Issue(code, severity, new Hl7Location(name, Math.Max(occurrence, segment is null ? 0 : 1)), text));
        }
    }
}
