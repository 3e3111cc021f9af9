namespace Sinew.X12.Tests;

public sealed class InterchangeTests
{
    [Fact]
    public void Validate_TwoInterchangesWithDifferentDelimiters_ReadsBoth()
    {
        var second = Fixtures.Po850(Fixtures.Isa5010, "005010").Replace("000000001", "000000002").Replace('*', '|').Replace('~', '$');
        var result = Fixtures.Validate(Fixtures.Po850() + "\n" + second);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(["000000001", "000000002"], result.Interchanges.Select(i => i.ControlNumber));
        Assert.Equal((byte)'|', result.Interchanges[1].Delimiters.Element);
    }

    [Fact]
    public void Validate_JunkBetweenInterchanges_IsAnErrorAndBothAreRead()
    {
        var text = Fixtures.Po850() + "garbage that is not EDI\n" + Fixtures.Po850().Replace("000000001", "000000002");
        var result = Fixtures.Validate(text);
        Assert.Contains(X12IssueCodes.Junk, Fixtures.Codes(result));
        Assert.Equal(2, result.Interchanges.Count);
        Assert.Equal(Fixtures.Bytes(text), X12Roundtrip.Reserialize(Fixtures.Bytes(text)));
    }

    [Fact]
    public void Validate_TruncatedInterchange_ReportsEveryMissingTrailer()
    {
        var text = Fixtures.Po850();
        var result = Fixtures.Validate(text[..text.IndexOf("CTT", StringComparison.Ordinal)]);
        var codes = Fixtures.Codes(result);
        Assert.Contains(X12IssueCodes.SeMissing, codes);
        Assert.Contains(X12IssueCodes.GeMissing, codes);
        Assert.Contains(X12IssueCodes.IeaMissing, codes);
    }

    [Fact]
    public void AckReader_CorpusAcknowledgements_ReadVerdicts()
    {
        Corpus.SkipWhenAbsent();
        var ack997 = X12AckReader.Read(File.OpenRead(Path.Combine(Corpus.X12, "stupidedi__004010_FA997_pass_1.edi")));
        var ack999 = X12AckReader.Read(File.OpenRead(Path.Combine(Corpus.X12, "imsx12__x12_999_accepted.txt")));
        Assert.Contains(ack997.Acks, a => a.Kind == "997" && a.SetControlNumber is not null);
        Assert.Equal(X12AckCode.Accepted, ack999.StatusOf("17456", "0001"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(200)]
    public void Validate_AnyPrefixOfAnInterchange_NeverThrows(int cut)
    {
        var text = Fixtures.Po850();
        for (var end = cut; end <= text.Length; end += 211)
        {
            var result = Fixtures.Validate(text[..end]);
            Assert.Equal(end < text.Length, result.HasErrors);
        }
    }
}
