using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class TypedValueTests
{
    private static readonly Hl7Message Message = Hl7Message.Parse(Encoding.UTF8.GetBytes(
        "MSH|^~\\&|A|B|C|D|20240131123045.12-0500||ORU^R01|1|P|2.5.1\r" +
        "PID|1||123^4^M10^HOSP&1.2.3&ISO^MR^FAC&9.9&ISO~456^^^OTHER^PI||O\\S\\BRIEN&VAN^JOHN^Q^JR^DR^MD^L\r" +
        "OBX|1|CWE|8310-5^Body temperature^LN^BT^Temp^L||37.5|Cel&degrees C&UCUM\r" +
        "RXA|0|1|20240101|20240101|08^HepB^CVX|0.5^mL&milliliter&UCUM\r")).Message!;

    [Fact]
    public void Timestamp_WithFractionAndOffset_KeepsPrecisionAndZone()
    {
        Assert.True(Message.Get(Hl7Path.Parse("MSH-7")).TryGetTimestamp(out var ts));

        Assert.Equal(new DateTimeOffset(2024, 1, 31, 12, 30, 45, 120, TimeSpan.FromHours(-5)), ts.Value);
        Assert.Equal(14, ts.Precision);
        Assert.Equal(2, ts.FractionDigits);
        Assert.True(ts.HasOffset);
    }

    [Theory]
    [InlineData("2024", 4)]
    [InlineData("202402", 6)]
    [InlineData("20240229", 8)]
    [InlineData("2024022913", 10)]
    [InlineData("202402291359", 12)]
    public void Timestamp_ReducedPrecision_IsAccepted(string text, int precision)
    {
        Assert.True(Hl7Timestamp.TryParse(text, out var ts));
        Assert.Equal(precision, ts.Precision);
        Assert.False(ts.HasOffset);
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("99999999")]
    [InlineData("2024013")]
    [InlineData("20240131126000")]
    [InlineData("20240131120000+25")]
    [InlineData("2024-01-31")]
    [InlineData("")]
    public void Timestamp_Invalid_IsRejected(string text)
    {
        Assert.False(Hl7Timestamp.TryParse(text, out _));
    }

    [Fact]
    public void ExtendedId_ReadsIdAuthorityTypeAndFacility()
    {
        var cx = Hl7ExtendedId.From(Message.Get(Hl7Path.Parse("PID-3")));

        Assert.Equal(new Hl7ExtendedId("123", "4", "HOSP", "MR", "FAC"), cx);
        Assert.Equal("OTHER", Hl7ExtendedId.From(Message.Get(Hl7Path.Parse("PID-3[2]"))).AssigningAuthority);
    }

    [Fact]
    public void PersonName_DecodesEscapesAndTakesSurname()
    {
        var name = Hl7PersonName.From(Message.Get(Hl7Path.Parse("PID-5")));

        Assert.Equal(new Hl7PersonName("O^BRIEN", "JOHN", "Q", "JR", "DR", "MD", "L"), name);
    }

    [Fact]
    public void CodedElement_ReadsBothTriplets()
    {
        var cwe = Hl7CodedElement.From(Message.Get(Hl7Path.Parse("OBX-3")));

        Assert.Equal(new Hl7CodedElement("8310-5", "Body temperature", "LN", "BT", "Temp", "L"), cwe);
    }

    [Fact]
    public void Numbers_AndQuantity_AreRead()
    {
        Assert.True(Message.Get(Hl7Path.Parse("OBX-5")).TryGetDecimal(out var value));
        Assert.Equal(37.5m, value);
        Assert.False(Message.Get(Hl7Path.Parse("OBX-3")).TryGetDecimal(out _));
        Assert.Equal(new Hl7Quantity(0.5m, "mL", "milliliter", "UCUM"), Hl7Quantity.From(Message.Get(Hl7Path.Parse("RXA-6"))));
    }
}
