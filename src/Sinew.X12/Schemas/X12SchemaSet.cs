using System.Reflection;

namespace Sinew.X12;

/// <summary>
/// The transaction set structures and segment dictionary validation uses, loaded from YAML schema files.
/// Immutable: <see cref="With(string, string)"/> returns a new set, so a user adds sets without touching the built-in ones.
/// </summary>
public sealed class X12SchemaSet
{
    private static readonly Lazy<X12SchemaSet> BuiltInSet = new(LoadBuiltIn);
    private readonly Dictionary<string, X12TransactionSetSchema> _sets;
    private readonly Dictionary<string, X12SegmentDefinition> _segments;

    private X12SchemaSet(Dictionary<string, X12TransactionSetSchema> sets, Dictionary<string, X12SegmentDefinition> segments)
    {
        _sets = sets;
        _segments = segments;
    }

    /// <summary>An empty set: envelopes only.</summary>
    public static X12SchemaSet Empty { get; } = new([], []);

    /// <summary>The schemas shipped with Sinew: 850, 855, 856, 810, 832, 997 and 999 in 004010 and 005010.</summary>
    public static X12SchemaSet BuiltIn => BuiltInSet.Value;

    /// <summary>Transaction set structures, one per set and version.</summary>
    public IEnumerable<X12TransactionSetSchema> Sets => _sets.Values.Distinct();

    /// <summary>The segment dictionary.</summary>
    public IReadOnlyDictionary<string, X12SegmentDefinition> Segments => _segments;

    /// <summary>The structure for a set identifier and a version (GS08; only its first six characters count), or null.</summary>
    public X12TransactionSetSchema? Find(string setId, string version)
    {
        var release = version.Length > 6 ? version[..6] : version;
        return _sets.GetValueOrDefault(setId + "/" + release);
    }

    /// <summary>A new schema set with the sets and segments of one more YAML file (later definitions win).</summary>
    /// <param name="yaml">The file content.</param>
    /// <param name="sourceName">File name used in error messages.</param>
    /// <exception cref="X12SchemaException">The file is not a valid schema; the message names the file and the line.</exception>
    public X12SchemaSet With(string yaml, string sourceName)
    {
        var sets = new Dictionary<string, X12TransactionSetSchema>(_sets);
        var segments = new Dictionary<string, X12SegmentDefinition>(_segments);
        var file = X12SchemaLoader.Parse(yaml, sourceName);
        foreach (var segment in file.Segments)
        {
            segments[segment.Id] = segment;
        }
        foreach (var set in file.Sets)
        {
            foreach (var version in set.Versions)
            {
                sets[set.SetId + "/" + version] = set;
            }
        }
        var result = new X12SchemaSet(sets, segments);
        result.Link();
        return result;
    }

    /// <summary>A new schema set with every <c>*.yaml</c> file of a directory added.</summary>
    public X12SchemaSet WithDirectory(string directory)
    {
        var result = this;
        foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            result = result.With(File.ReadAllText(path), path);
        }
        return result;
    }

    private void Link()
    {
        foreach (var set in _sets.Values)
        {
            set.AllKeys.Clear();
            LinkNode(set.Root, set.AllKeys);
            _ = set.KeyTable;
        }
    }

    private void LinkNode(X12StructureNode node, HashSet<int> keys)
    {
        keys.Add(node.Key);
        node.Definition = _segments.GetValueOrDefault(node.SegmentId);
        foreach (var child in node.ChildArray)
        {
            LinkNode(child, keys);
        }
    }

    private static X12SchemaSet LoadBuiltIn()
    {
        var assembly = typeof(X12SchemaSet).Assembly;
        var result = Empty;
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith("Sinew.X12.Schemas.", StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result = result.With(reader.ReadToEnd(), name);
        }
        return result;
    }
}
