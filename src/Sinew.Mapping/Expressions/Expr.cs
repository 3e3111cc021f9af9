namespace Sinew.Mapping.Expressions;

/// <summary>A parsed source expression: a literal, a path into the input, or a function of other expressions.</summary>
public abstract record Expr
{
    /// <summary>The text it was parsed from, for error messages.</summary>
    public required string Text { get; init; }
}

public sealed record LiteralExpr(string? Value) : Expr;

/// <summary>A path in the input's own language: an HL7 v2 path, FHIRPath, a JSON path or a CSV column.</summary>
public sealed record PathExpr(string Path) : Expr;

public sealed record CallExpr(string Name, IReadOnlyList<Expr> Arguments) : Expr;
