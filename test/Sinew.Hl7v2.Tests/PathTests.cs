namespace Sinew.Hl7v2.Tests;

public sealed class PathTests
{
    [Theory]
    [InlineData("PID-3[2].1.2", "PID", 1, 3, 2, 1, 2)]
    [InlineData("OBX[3]-5", "OBX", 3, 5, 0, 0, 0)]
    [InlineData("FT1-7.1", "FT1", 1, 7, 0, 1, 0)]
    [InlineData("MSH-9.2", "MSH", 1, 9, 0, 2, 0)]
    [InlineData("PV1", "PV1", 1, 0, 0, 0, 0)]
    [InlineData("ZX1.2.3", "ZX1", 1, 2, 0, 3, 0)]
    public void Parse_ValidPath_GivesItsParts(string text, string segment, int occurrence, int field, int repetition, int component, int sub)
    {
        var path = Hl7Path.Parse(text);

        Assert.Equal((segment, occurrence, field, repetition, component, sub), (path.Segment, path.SegmentOccurrence, path.Field, path.Repetition, path.Component, path.SubComponent));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("PI")]
    [InlineData("pid-3")]
    [InlineData("PID-")]
    [InlineData("PID-0")]
    [InlineData("PID-3[0]")]
    [InlineData("PID-3[x]")]
    [InlineData("PID[2-3")]
    [InlineData("PID-3.1.2.4")]
    [InlineData("PID-3 ")]
    public void TryParse_MalformedPath_ReturnsFalse(string? text)
    {
        Assert.False(Hl7Path.TryParse(text, out _));
    }

    [Theory]
    [InlineData("PID-3[2].1.2")]
    [InlineData("OBX[3]-5")]
    [InlineData("FT1-7.1")]
    public void ToString_IsCanonicalAndParsesBack(string text)
    {
        Assert.Equal(text, Hl7Path.Parse(text).ToString());
    }
}
