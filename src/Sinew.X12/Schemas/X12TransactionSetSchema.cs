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
}
