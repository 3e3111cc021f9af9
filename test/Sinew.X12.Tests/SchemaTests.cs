namespace Sinew.X12.Tests;

public sealed class SchemaTests
{
    private const string Custom = """
        segments:
          ZZA: ["1 M ID 1 1 Y,N", "2 O N0 1 3"]
        set: "861"
        name: Receiving Advice
        versions: ["004010"]
        structure:
          - ST M 1
          - ZZA M 1
          - loop: RCD
            req: O
            max: 2
            segments: [RCD M 1, REF O 1]
          - SE M 1
        """;

    private static string Set861(string body, int count) =>
        Fixtures.Isa4010 + "GS*RC*BUYER*SUPPLIER*20240131*1200*1*X*004010~ST*861*0001~" + body + $"SE*{count}*0001~GE*1*1~IEA*1*000000001~";

    [Fact]
    public void With_UserSchema_ValidatesANewSet()
    {
        var options = new X12ValidationOptions { Schemas = X12SchemaSet.BuiltIn.With(Custom, "custom.yaml") };
        Assert.False(Fixtures.Validate(Set861("ZZA*Y*12~RCD*1~REF*XX*1~", 5), options).HasErrors);
        var codes = Fixtures.Codes(Fixtures.Validate(Set861("ZZA*Q~RCD*1~RCD*2~RCD*3~", 6), options));
        Assert.Contains(X12IssueCodes.ElementCode, codes);
        Assert.Contains(X12IssueCodes.LoopRepeat, codes);
    }

    [Fact]
    public void With_UserSchema_LeavesBuiltInUntouched()
    {
        _ = X12SchemaSet.BuiltIn.With(Custom, "custom.yaml");
        Assert.Null(X12SchemaSet.BuiltIn.Find("861", "004010"));
        Assert.NotNull(X12SchemaSet.BuiltIn.Find("850", "005010X220"));
    }

    [Theory]
    [InlineData("set: \"850\"\nversions: [\"004010\"]\nstructure:\n  - BEG Q 1\n", "bad.yaml:4")]
    [InlineData("segments:\n  BEG: [\"353 Z ID 2 2\"]\n", "bad.yaml:2")]
    [InlineData("set: \"850\"\nstructure: []\n", "versions")]
    [InlineData("set: [unclosed\n", "bad.yaml")]
    public void With_BrokenSchema_ThrowsNamingFileAndLine(string yaml, string expected)
    {
        var error = Assert.Throws<X12SchemaException>(() => X12SchemaSet.Empty.With(yaml, "bad.yaml"));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void BuiltIn_HasTheSetsSinewTrades()
    {
        foreach (var set in new[] { "850", "855", "856", "810", "832", "997", "999" })
        {
            foreach (var version in new[] { "004010", "005010" })
            {
                Assert.NotNull(X12SchemaSet.BuiltIn.Find(set, version));
            }
        }
    }
}
