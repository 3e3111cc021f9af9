using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sinew.X12;

/// <summary>Reads one schema file: a <c>segments:</c> dictionary and/or a <c>set:</c> with its <c>structure:</c>.</summary>
internal static class X12SchemaLoader
{
    internal sealed record SchemaFile(List<X12SegmentDefinition> Segments, List<X12TransactionSetSchema> Sets);

    public static SchemaFile Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new X12SchemaException($"{source}:{e.Start.Line}: {e.Message}");
        }
        var file = new SchemaFile([], []);
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                throw Fail(source, document.RootNode, "a schema file is a mapping with 'segments:' and/or 'set:'");
            }
            if (Get(root, "segments") is YamlMappingNode segments)
            {
                foreach (var (key, value) in segments.Children)
                {
                    file.Segments.Add(ParseSegment(source, Scalar(source, key), value));
                }
            }
            if (Get(root, "set") is not null)
            {
                file.Sets.Add(ParseSet(source, root));
            }
        }
        return file;
    }

    private static X12SegmentDefinition ParseSegment(string source, string id, YamlNode node)
    {
        var rules = new List<X12SyntaxRule>();
        if (node is YamlMappingNode mapping)
        {
            if (Get(mapping, "syntax") is YamlSequenceNode syntax)
            {
                foreach (var item in syntax)
                {
                    var text = Scalar(source, item);
                    rules.Add(X12SyntaxRule.TryParse(text, out var rule) ? rule : throw Fail(source, item, $"segment {id}: '{text}' is not a syntax note such as P0304"));
                }
            }
            node = Get(mapping, "elements") ?? throw Fail(source, node, $"segment {id}: 'elements:' list missing");
        }
        if (node is not YamlSequenceNode elements)
        {
            throw Fail(source, node, $"segment {id}: a list of elements such as '353 M ID 2 2 00,01'");
        }
        var list = new List<X12ElementDefinition>();
        foreach (var element in elements)
        {
            var parts = Scalar(source, element).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                throw Fail(source, element, $"segment {id}: element needs 'reference requirement type [min max [codes]]'");
            }
            var min = parts.Length > 3 ? ParseInt(source, element, parts[3]) : 0;
            var max = parts.Length > 4 ? ParseInt(source, element, parts[4]) : int.MaxValue;
            var codes = parts.Length > 5 ? parts[5].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
            if (parts[1] is not ("M" or "O" or "X"))
            {
                throw Fail(source, element, $"segment {id}: requirement must be M, O or X, not '{parts[1]}'");
            }
            list.Add(new X12ElementDefinition(parts[0], parts[1], parts[2], min, max, codes));
        }
        foreach (var rule in rules)
        {
            if (rule.Positions.Any(p => p > list.Count))
            {
                throw Fail(source, node, $"segment {id}: syntax note {rule.Text} names an element beyond the {list.Count} defined");
            }
        }
        return new X12SegmentDefinition(id, list, rules);
    }

    private static X12TransactionSetSchema ParseSet(string source, YamlMappingNode root)
    {
        var setId = Scalar(source, Get(root, "set")!);
        var versions = Get(root, "versions") is YamlSequenceNode v ? v.Select(n => Scalar(source, n)).ToList() : throw Fail(source, root, $"set {setId}: 'versions:' list missing");
        if (Get(root, "structure") is not YamlSequenceNode structure)
        {
            throw Fail(source, root, $"set {setId}: 'structure:' list missing");
        }
        var children = ParseChildren(source, structure);
        var schema = new X12TransactionSetSchema
        {
            SetId = setId,
            Versions = versions,
            Name = Get(root, "name") is { } name ? Scalar(source, name) : "",
            Root = new X12StructureNode("ST", "", true, 1, children),
        };
        return schema;
    }

    private static List<X12StructureNode> ParseChildren(string source, YamlSequenceNode sequence)
    {
        var children = new List<X12StructureNode>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode)
            {
                var parts = Scalar(source, item).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 3 || parts[1] is not ("M" or "O"))
                {
                    throw Fail(source, item, "a segment is 'ID requirement max' with requirement M or O, e.g. 'BEG M 1'");
                }
                children.Add(new X12StructureNode(parts[0], null, parts[1] == "M", ParseMax(source, item, parts[2]), []));
            }
            else if (item is YamlMappingNode loop && Get(loop, "loop") is { } loopId)
            {
                if (Get(loop, "segments") is not YamlSequenceNode members || members.Children.Count == 0)
                {
                    throw Fail(source, loop, "a loop needs a non-empty 'segments:' list");
                }
                var loopChildren = ParseChildren(source, members);
                if (loopChildren[0].IsLoop)
                {
                    throw Fail(source, loop, "a loop must start with a segment");
                }
                var requirement = Get(loop, "req") is { } req ? Scalar(source, req) : "O";
                if (requirement is not ("M" or "O"))
                {
                    throw Fail(source, loop, $"loop requirement must be M or O, not '{requirement}'");
                }
                var required = requirement == "M";
                var max = Get(loop, "max") is { } m ? ParseMax(source, m, Scalar(source, m)) : 1;
                children.Add(new X12StructureNode(loopChildren[0].SegmentId, Scalar(source, loopId), required, max, loopChildren));
            }
            else
            {
                throw Fail(source, item, "a structure entry is 'ID req max' or a mapping with 'loop:'");
            }
        }
        return children;
    }

    private static int ParseMax(string source, YamlNode node, string text) =>
        text is ">1" or "unbounded" ? int.MaxValue : ParseInt(source, node, text);

    private static int ParseInt(string source, YamlNode node, string text) =>
        int.TryParse(text, out var n) ? n : throw Fail(source, node, $"'{text}' is not a number");

    private static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string Scalar(string source, YamlNode node) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Fail(source, node, "expected a scalar");

    private static X12SchemaException Fail(string source, YamlNode node, string message) =>
        new($"{source}:{node.Start.Line}: {message}");
}
