namespace Sinew.X12;

/// <summary>A segment or a loop in a transaction set's structure, with its requirement and maximum use.</summary>
public sealed class X12StructureNode
{
    internal X12StructureNode(string segmentId, string? loopId, bool required, int maxUse, IReadOnlyList<X12StructureNode> children)
    {
        SegmentId = segmentId;
        LoopId = loopId;
        IsRequired = required;
        MaxUse = maxUse;
        ChildArray = [.. children];
        Key = X12SegmentId.Key(segmentId);
        for (var i = 1; i < ChildArray.Length; i++)
        {
            BodyKeyMask |= MaskBit(ChildArray[i].Key);
        }
        NextRequiredChild = new int[ChildArray.Length + 1];
        NextRequiredChild[ChildArray.Length] = ChildArray.Length;
        for (var i = ChildArray.Length - 1; i >= 0; i--)
        {
            NextRequiredChild[i] = ChildArray[i].IsRequired ? i : NextRequiredChild[i + 1];
        }
    }

    /// <summary>
    /// Per child index i (and one past the end): the first required child at or after i, or the child count. Closing a
    /// loop or skipping ahead in it visits only required children, not every optional one in between.
    /// </summary>
    internal int[] NextRequiredChild { get; }

    /// <summary>A 64-bit filter of the keys of children after the first, so a segment a loop cannot hold skips its scan.</summary>
    internal ulong BodyKeyMask { get; }

    internal static ulong MaskBit(int key) => 1UL << (int)((uint)(key * 0x9E3779B1) >> 26);

    /// <summary>Segment identifier for a segment; for a loop, its first (trigger) segment identifier.</summary>
    public string SegmentId { get; }

    /// <summary>Loop identifier (e.g. "N1" or "2000A"); null for a segment.</summary>
    public string? LoopId { get; }

    /// <summary>True when the segment or loop must be present.</summary>
    public bool IsRequired { get; }

    /// <summary>Maximum use of the segment, or maximum repeats of the loop.</summary>
    public int MaxUse { get; }

    /// <summary>Members of the loop (the first is the trigger segment); empty for a segment.</summary>
    public IReadOnlyList<X12StructureNode> Children => ChildArray;

    /// <summary>True when this node is a loop.</summary>
    public bool IsLoop => LoopId is not null;

    internal int Key { get; }

    internal X12StructureNode[] ChildArray { get; }

    /// <summary>Per segment number of the set's <see cref="X12SegmentKeyTable"/>: the first child with that identifier, or -1.</summary>
    internal int[] FirstChildByOrdinal { get; private set; } = [];

    /// <summary>Per child: the next child with the same identifier, or -1 (a loop rarely names a segment twice).</summary>
    internal int[] NextChildWithSameKey { get; private set; } = [];

    /// <summary>The first child at or after <paramref name="start"/> whose identifier has the given number, or -1.</summary>
    internal int FindChild(int ordinal, int start)
    {
        var j = FirstChildByOrdinal[ordinal];
        while ((uint)j < (uint)start)
        {
            j = NextChildWithSameKey[j];
        }
        return j;
    }

    internal void CompileLookup(X12SegmentKeyTable table)
    {
        var first = new int[table.Count];
        var next = new int[ChildArray.Length];
        Array.Fill(first, -1);
        Array.Fill(next, -1);
        for (var i = ChildArray.Length - 1; i >= 0; i--)
        {
            var ordinal = table.Ordinal(ChildArray[i].Key);
            next[i] = first[ordinal];
            first[ordinal] = i;
        }
        FirstChildByOrdinal = first;
        NextChildWithSameKey = next;
        foreach (var child in ChildArray)
        {
            child.CompileLookup(table);
        }
    }

    /// <summary>The element definitions of the segment (of the trigger segment for a loop), when the dictionary has them.</summary>
    public X12SegmentDefinition? Definition { get; internal set; }
}
