namespace Sinew.X12;

/// <summary>The elements of one segment, in order, as a schema file defines them.</summary>
/// <param name="Id">Segment identifier, e.g. "BEG".</param>
/// <param name="Elements">Element definitions; position 1 is the first element after the identifier.</param>
/// <param name="SyntaxRules">Relational conditions between the elements (syntax notes such as P0304).</param>
public sealed record X12SegmentDefinition(string Id, IReadOnlyList<X12ElementDefinition> Elements, IReadOnlyList<X12SyntaxRule> SyntaxRules)
{
    internal X12ElementDefinition[] ElementArray { get; } = [.. Elements];

    internal X12SyntaxRule[] SyntaxRuleArray { get; } = [.. SyntaxRules];

    /// <summary>The elements compiled for the hot path, in the order of <see cref="ElementArray"/>.</summary>
    internal X12ElementPlan[] Plans { get; } = [.. Elements.Select(e => new X12ElementPlan(e))];

    /// <summary>The syntax notes as bit-mask filters, in the order of <see cref="SyntaxRuleArray"/>.</summary>
    internal X12SyntaxCheck[] SyntaxChecks { get; } = [.. SyntaxRules.Select(r => new X12SyntaxCheck(r))];

    /// <summary>The position (1-based) of the last mandatory element, 0 when none is: past it, a short segment misses nothing.</summary>
    internal int LastMandatory { get; } = Elements.Select((e, i) => e.IsMandatory ? i + 1 : 0).DefaultIfEmpty(0).Max();
}
