using System.Text.Json.Serialization.Metadata;
using Sinew.Mapping.Expressions;

namespace Sinew.Mapping;

/// <summary>How one target field is filled: from an expression, or (for a list or object) from nested field maps.</summary>
public sealed record FieldMap
{
    public required string Name { get; init; }

    /// <summary>The source expression, for a value field.</summary>
    public Expr? Source { get; init; }

    /// <summary>For a list of objects: the path whose occurrences become the items (<c>FT1</c>, <c>suppliedItem</c>).</summary>
    public string? Each { get; init; }

    /// <summary>The fields of the nested object(s).</summary>
    public IReadOnlyList<FieldMap> Fields { get; init; } = [];

    /// <summary>The target property's contract (its CLR type decides JSON number, string, date…).</summary>
    public required JsonPropertyInfo Target { get; init; }
}
