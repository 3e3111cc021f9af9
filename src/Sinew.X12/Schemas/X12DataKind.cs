namespace Sinew.X12;

/// <summary>The data type of an element, resolved once from its schema text so checks switch on a number.</summary>
internal enum X12DataKind
{
    Text,
    Identifier,
    Numeric,
    Decimal,
    Date,
    Time,
    Composite,
}
