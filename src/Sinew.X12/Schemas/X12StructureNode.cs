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
    }

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

    /// <summary>The element definitions of the segment (of the trigger segment for a loop), when the dictionary has them.</summary>
    public X12SegmentDefinition? Definition { get; internal set; }
}
