using System.Text;

namespace Sinew.X12.Tests;

/// <summary>
/// The validator's fast paths (packed code lists, syntax notes as bit masks, numbered segment lookup, whole-buffer segment
/// reading) against the general code they stand in for: each must give exactly what the general path gives.
/// </summary>
public sealed class CompiledChecksTests
{
    private const string Custom = """
        segments:
          ZZA: ["1 M ID 1 8 Y,NO,ABC,ABCDEFG", "2 O ID 1 9 A,ABCDEFGHI", "3 O TM 4 6", "4 O COMP"]
        set: "861"
        name: Receiving Advice
        versions: ["004010"]
        structure:
          - ST M 1
          - ZZA M 1
          - REF O 1
          - DTM O 1
          - REF O 1
          - MSG M 1
          - loop: RCD
            req: O
            max: 2
            segments: [RCD M 1, REF O 1, N9 M 1, DTM O 1]
          - SE M 1
        """;

    private static readonly X12ValidationOptions Options = new() { Schemas = X12SchemaSet.BuiltIn.With(Custom, "custom.yaml") };

    private static string Set861(string body)
    {
        var count = body.Count(c => c == '~') + 2;
        return Fixtures.Isa4010 + "GS*RC*BUYER*SUPPLIER*20240131*1200*1*X*004010~ST*861*0001~" + body + $"SE*{count}*0001~GE*1*1~IEA*1*000000001~";
    }

    private static string Errors(string body) => Fixtures.Codes(Fixtures.Validate(Set861(body), Options));

    [Theory]
    [InlineData("ZZA*Y~MSG*X~", "")]
    [InlineData("ZZA*NO~MSG*X~", "")]
    [InlineData("ZZA*ABCDEFG~MSG*X~", "")]
    [InlineData("ZZA*N~MSG*X~", X12IssueCodes.ElementCode)]
    [InlineData("ZZA*AB~MSG*X~", X12IssueCodes.ElementCode)]
    [InlineData("ZZA*ABCD~MSG*X~", X12IssueCodes.ElementCode)]
    [InlineData("ZZA*ABCDEFGH~MSG*X~", X12IssueCodes.ElementCode)]
    [InlineData("ZZA*Y*ABCDEFGHI~MSG*X~", "")]
    [InlineData("ZZA*Y*A~MSG*X~", "")]
    [InlineData("ZZA*Y*ABCDEFGH~MSG*X~", X12IssueCodes.ElementCode)]
    public void Validate_CodeLists_AcceptExactlyTheListedCodes(string body, string expected)
    {
        Assert.Equal(expected, Errors(body));
    }

    [Theory]
    [InlineData("ZZA*Y**1200~MSG*X~", "")]
    [InlineData("ZZA*Y**235959~MSG*X~", "")]
    [InlineData("ZZA*Y**2400~MSG*X~", X12IssueCodes.ElementTime)]
    [InlineData("ZZA*Y**12~MSG*X~", X12IssueCodes.ElementTooShort)]
    [InlineData("ZZA*Y**1200000~MSG*X~", X12IssueCodes.ElementTooLong)]
    [InlineData("ZZA*Y***A:B:C~MSG*X~", "")]
    public void Validate_TimesAndComposites_SameVerdictsAsTheFullCheck(string body, string expected)
    {
        Assert.Equal(expected, Errors(body));
    }

    [Theory]
    [InlineData("ZZA*Y~REF*XX*1~DTM*002*20240131~REF*YY*2~MSG*X~", "")]
    [InlineData("ZZA*Y~REF*XX*1~REF*YY*2~MSG*X~", X12IssueCodes.SegmentRepeat)]
    [InlineData("ZZA*Y~DTM*002*20240131~REF*YY*2~MSG*X~", "")]
    [InlineData("ZZA*Y~REF*XX*1~", X12IssueCodes.SegmentMissing)]
    [InlineData("ZZA*Y~MSG*X~RCD*1~REF*XX*1~", X12IssueCodes.SegmentMissing)]
    [InlineData("ZZA*Y~MSG*X~RCD*1~N9*XX*1~RCD*2~N9*XX*2~RCD*3~N9*XX*3~", X12IssueCodes.LoopRepeat)]
    [InlineData("ZZA*Y~MSG*X~RCD*1~N9*XX*1~DTM*002*20240131~REF*XX*1~", X12IssueCodes.SegmentOrder)]
    [InlineData("ZZA*Y~MSG*X~QQQ*1~", X12IssueCodes.SegmentNotInSet)]
    public void Validate_SegmentTwiceInALoop_TakesTheNextPlaceOrCountsARepeat(string body, string expected)
    {
        Assert.Equal(expected, Errors(body));
    }

    [Fact]
    public void Validate_RequiredSegmentsSkippedAndNeverSent_AreReportedInSchemaOrder()
    {
        var result = Fixtures.Validate(Set861("REF*XX*1~RCD*1~"), Options);
        var missing = result.Issues.Where(i => i.Code == X12IssueCodes.SegmentMissing).Select(i => i.Location.SegmentId);
        Assert.Equal(["ZZA", "MSG", "N9"], missing);
    }

    public static TheoryData<string> Notes() => ["P0304", "P030405", "P0303", "R0203", "R020406", "E0405", "E020406", "C0302", "C030204", "C0303", "L030405", "L0303", "L02030405"];

    [Theory]
    [MemberData(nameof(Notes))]
    public void SyntaxCheck_SaysHoldsOnlyWhenTheRuleFindsNoViolation(string note)
    {
        Assert.True(X12SyntaxRule.TryParse(note, out var rule));
        var check = new X12SyntaxCheck(rule);
        // Every combination of elements 0..7 present (0 and 7 are never named: they must not matter).
        for (ulong present = 0; present < 256; present++)
        {
            if (!check.MayBeViolated(present))
            {
                Assert.Equal(0, rule.Violation(present));
            }
        }
    }

    [Theory]
    [InlineData("N1*ST~", true)]
    [InlineData("N1*ST*General Hospital~", false)]
    [InlineData("N1*ST*General Hospital*92~", true)]
    [InlineData("N1*ST**92*0042~", false)]
    [InlineData("N1*ST*General Hospital*92*0042~", false)]
    public void Validate_N1SyntaxNotes_ErrorExactlyWhenARuleIsBroken(string n1, bool broken)
    {
        var result = Fixtures.Validate(Fixtures.Po850().Replace("N1*ST*General Hospital*92*0042~", n1));
        Assert.Equal(broken, result.HasErrors);
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        if (Corpus.Directory is not null)
        {
            foreach (var file in Directory.EnumerateFiles(Corpus.X12, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Corpus.X12, file));
            }
        }
        else
        {
            data.Add("");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Read_CorpusFileWholeOrByteByByte_GivesTheSameRecordsAndFlags(string file)
    {
        Corpus.SkipWhenAbsent();
        var bytes = File.ReadAllBytes(Path.Combine(Corpus.X12, file));
        // Whole: nearly every segment takes the buffered path. One byte per read: nearly none can.
        Assert.Equal(Records(bytes, 1 << 20), Records(bytes, 1));
        var spaced = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace("~", "~\r\n  \t"));
        Assert.Equal(Records(spaced, 1 << 20), Records(spaced, 3));
    }

    private static List<string> Records(byte[] bytes, int chunk)
    {
        using var reader = new X12Reader(new TrickleStream(bytes, chunk));
        var records = new List<string>();
        while (reader.Read())
        {
            records.Add($"{reader.Kind} {reader.Flags} {reader.SegmentOffset} {reader.BytesConsumed} {reader.HasDelimiters} [{Encoding.Latin1.GetString(reader.Segment.Bytes)}] [{Encoding.Latin1.GetString(reader.Record)}]");
        }
        return records;
    }
}
