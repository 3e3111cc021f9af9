namespace Sinew.Hl7v2;

/// <summary>An XPN name (e.g. PID-5): family, given, second names, suffix, prefix, degree and name type code.</summary>
public sealed record Hl7PersonName(string Family, string Given, string SecondAndFurtherGivenNames, string Suffix, string Prefix, string Degree, string NameTypeCode)
{
    /// <summary>Reads an XPN from one repetition (the first when the value holds several).</summary>
    public static Hl7PersonName From(Hl7Value value)
    {
        var v = Hl7Components.First(value);
        return new Hl7PersonName(
            Hl7Components.SubText(Hl7Components.Sub(v, 1), 1), Hl7Components.Text(v, 2), Hl7Components.Text(v, 3),
            Hl7Components.Text(v, 4), Hl7Components.Text(v, 5), Hl7Components.Text(v, 6), Hl7Components.Text(v, 7));
    }
}
