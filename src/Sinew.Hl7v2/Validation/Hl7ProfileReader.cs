namespace Sinew.Hl7v2;

/// <summary>Turns the YAML document of a profile into the immutable model, checking what YAML cannot.</summary>
internal static class Hl7ProfileReader
{
    public static Hl7Profile ToProfile(ProfileDocument document, string source)
    {
        if (document.Messages.Count == 0)
        {
            throw new FormatException("'messages' must list at least one message type such as ADT^A01, or \"*\".");
        }
        var structure = new List<Hl7StructureElement>();
        foreach (var node in document.Structure)
        {
            structure.Add(ToElement(node));
        }
        var fields = new Dictionary<string, IReadOnlyList<Hl7FieldRule>>(StringComparer.Ordinal);
        foreach (var (segment, rules) in document.Fields)
        {
            if (segment.Length != 3)
            {
                throw new FormatException($"'fields' key '{segment}' is not a segment identifier.");
            }
            var list = new List<Hl7FieldRule>();
            foreach (var rule in rules)
            {
                if (rule.Field < 1)
                {
                    throw new FormatException($"{segment}: 'field' must be 1 or more.");
                }
                list.Add(new Hl7FieldRule(rule.Field, ToUsage(rule.Usage, segment, rule.Field), rule.Type, rule.MaxLength, rule.MaxRepetitions, rule.Table, rule.Component));
            }
            fields[segment] = list;
        }
        return new Hl7Profile(document.Messages, structure, fields, source);
    }

    private static Hl7StructureElement ToElement(StructureDocument node)
    {
        if ((node.Segment is null) == (node.Group is null))
        {
            throw new FormatException("Each structure element needs exactly one of 'segment' or 'group'.");
        }
        if (node.Group is not null && node.Items.Count == 0)
        {
            throw new FormatException($"Group '{node.Group}' needs 'items'.");
        }
        var children = new List<Hl7StructureElement>();
        foreach (var child in node.Items)
        {
            children.Add(ToElement(child));
        }
        return new Hl7StructureElement(node.Segment, node.Group, node.Optional, node.Repeating, children);
    }

    private static Hl7Usage ToUsage(string usage, string segment, int field) => usage switch
    {
        "R" => Hl7Usage.Required,
        "RE" => Hl7Usage.RequiredOrEmpty,
        "O" or "C" or "CE" or "B" => Hl7Usage.Optional,
        "X" => Hl7Usage.NotSupported,
        _ => throw new FormatException($"{segment}-{field}: usage '{usage}' is not one of R, RE, O, C, X."),
    };
}
