namespace Sinew.Hl7v2;

/// <summary>A CQ value: a quantity and its units (CE/CWE in sub-components).</summary>
public sealed record Hl7Quantity(decimal? Quantity, string UnitIdentifier, string UnitText, string UnitCodingSystem)
{
    /// <summary>Reads a CQ from one repetition; <see cref="Quantity"/> is null when not numeric.</summary>
    public static Hl7Quantity From(Hl7Value value)
    {
        var v = Hl7Components.First(value);
        var quantity = Hl7Components.Sub(v, 1);
        var units = Hl7Components.Sub(v, 2);
        return new Hl7Quantity(
            quantity.TryGetDecimal(out var number) ? number : null,
            Hl7Components.SubText(units, 1), Hl7Components.SubText(units, 2), Hl7Components.SubText(units, 3));
    }
}
