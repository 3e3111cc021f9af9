namespace Sinew.X12;

/// <summary>The structure of one transaction set (e.g. 850 in 004010): its segments and loops in order.</summary>
public sealed class X12TransactionSetSchema
{
    /// <summary>Transaction set identifier code, e.g. "850".</summary>
    public required string SetId { get; init; }

    /// <summary>Versions this structure applies to, six characters each (e.g. "004010", "005010").</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    /// <summary>Human name, e.g. "Purchase Order".</summary>
    public string Name { get; init; } = "";

    /// <summary>The set as a loop whose children are ST, the body, and SE.</summary>
    public required X12StructureNode Root { get; init; }

    internal HashSet<int> AllKeys { get; } = [];

    private X12SegmentKeyTable? _keyTable;

    /// <summary>
    /// The set's segment identifiers numbered, with every loop's child lookup built from them: compiled on first use
    /// (the structure never changes after loading), so validation finds a segment's place without scanning.
    /// </summary>
    internal X12SegmentKeyTable KeyTable => Volatile.Read(ref _keyTable) ?? Compile();

    /// <summary>Builds the lookup tables once; a second caller racing the first builds identical tables.</summary>
    internal X12SegmentKeyTable Compile()
    {
        var keys = new List<int>();
        Collect(Root, keys);
        var table = new X12SegmentKeyTable(keys);
        Root.CompileLookup(table);
        Volatile.Write(ref _keyTable, table);
        return table;
    }

    private static void Collect(X12StructureNode node, List<int> keys)
    {
        keys.Add(node.Key);
        foreach (var child in node.ChildArray)
        {
            Collect(child, keys);
        }
    }
}
