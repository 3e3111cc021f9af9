namespace Sinew.Hl7v2;

/// <summary>A CE or CWE value: identifier, text and coding system, with the alternate triplet.</summary>
public sealed record Hl7CodedElement(string Identifier, string Text, string CodingSystem, string AlternateIdentifier, string AlternateText, string AlternateCodingSystem)
{
    /// <summary>Reads a CE/CWE from one repetition (the first when the value holds several).</summary>
    public static Hl7CodedElement From(Hl7Value value)
    {
        var v = Hl7Components.First(value);
        return new Hl7CodedElement(
            Hl7Components.Text(v, 1), Hl7Components.Text(v, 2), Hl7Components.Text(v, 3),
            Hl7Components.Text(v, 4), Hl7Components.Text(v, 5), Hl7Components.Text(v, 6));
    }
}
