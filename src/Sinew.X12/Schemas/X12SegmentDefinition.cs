namespace Sinew.X12;

/// <summary>The elements of one segment, in order, as a schema file defines them.</summary>
/// <param name="Id">Segment identifier, e.g. "BEG".</param>
/// <param name="Elements">Element definitions; position 1 is the first element after the identifier.</param>
public sealed record X12SegmentDefinition(string Id, IReadOnlyList<X12ElementDefinition> Elements)
{
    internal X12ElementDefinition[] ElementArray { get; } = [.. Elements];
}
