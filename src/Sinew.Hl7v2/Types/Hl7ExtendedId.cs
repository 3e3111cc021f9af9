namespace Sinew.Hl7v2;

/// <summary>A CX identifier (e.g. PID-3): id, check digit, assigning authority namespace, identifier type code and facility.</summary>
public sealed record Hl7ExtendedId(string Id, string CheckDigit, string AssigningAuthority, string IdentifierTypeCode, string AssigningFacility)
{
    /// <summary>Reads a CX from one repetition (the first when the value holds several).</summary>
    public static Hl7ExtendedId From(Hl7Value value)
    {
        var v = Hl7Components.First(value);
        return new Hl7ExtendedId(
            Hl7Components.Text(v, 1), Hl7Components.Text(v, 2), FirstOf(Hl7Components.Sub(v, 4)),
            Hl7Components.Text(v, 5), FirstOf(Hl7Components.Sub(v, 6)));
    }

    private static string FirstOf(Hl7Value hd) => Hl7Components.SubText(hd, 1);
}
