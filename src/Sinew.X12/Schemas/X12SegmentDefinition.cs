namespace Sinew.X12;

/// <summary>The elements of one segment, in order, as a schema file defines them.</summary>
/// <param name="Id">Segment identifier, e.g. "BEG".</param>
/// <param name="Elements">Element definitions; position 1 is the first element after the identifier.</param>
/// <param name="SyntaxRules">Relational conditions between the elements (syntax notes such as P0304).</param>
public sealed record X12SegmentDefinition(string Id, IReadOnlyList<X12ElementDefinition> Elements, IReadOnlyList<X12SyntaxRule> SyntaxRules)
{
    internal X12ElementDefinition[] ElementArray { get; } = [.. Elements];

    internal X12SyntaxRule[] SyntaxRuleArray { get; } = [.. SyntaxRules];
}
