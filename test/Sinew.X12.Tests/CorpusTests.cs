namespace Sinew.X12.Tests;

public sealed class CorpusTests
{
    // Files the source uses as positive examples although their envelopes are wrong; Sinew must report exactly this.
    private static readonly Dictionary<string, string> KnownSourceDefects = new()
    {
        ["x12/imsx12__x12_999_accepted.txt"] = X12IssueCodes.IeaControlNumber, // IEA02 000000001 vs ISA13 000000286
        ["x12/nodex12__850_fat.edi"] = X12IssueCodes.IsaDuplicate, // the same interchange (ISA13 000003438) twice in one file
    };

    private static readonly string[] SetsWithSchema = ["850", "855", "856", "810", "832", "997", "999"];

    public static TheoryData<string> Files() => Rows(_ => true);

    public static TheoryData<string> BadFiles() => Rows(r => r.Path.StartsWith("x12/bad/", StringComparison.Ordinal));

    public static TheoryData<string> ValidFilesOfSupportedSets() =>
        Rows(r => r.Expected == "valid" && SetsWithSchema.Contains(r.MessageType.Split(' ')[0]));

    private static TheoryData<string> Rows(Func<(string Path, string MessageType, string Expected, string Notes), bool> filter)
    {
        var data = new TheoryData<string>();
        if (Corpus.Directory is null)
        {
            data.Add("(corpus absent)");
            return data;
        }
        foreach (var row in Corpus.X12Rows().Where(filter))
        {
            data.Add(row.Path);
        }
        return data;
    }

    [Fact]
    public void Manifest_ListsEveryX12File()
    {
        Corpus.SkipWhenAbsent();
        var listed = Corpus.X12Rows().Select(r => r.Path).ToHashSet();
        var onDisk = Directory.EnumerateFiles(Corpus.X12, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Corpus.Directory!, f).Replace('\\', '/'));
        Assert.All(onDisk, f => Assert.Contains(f, listed));
        Assert.True(listed.Count > 100, $"only {listed.Count} X12 files listed");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Roundtrip_CorpusFile_IsByteIdentical(string path)
    {
        Corpus.SkipWhenAbsent();
        var bytes = File.ReadAllBytes(Path.Combine(Corpus.Directory!, path));
        var again = X12Roundtrip.Reserialize(bytes);
        Assert.Equal(-1, X12Roundtrip.FirstDifference(bytes, again));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_CorpusFile_FinishesWithoutThrowingAndAcksBuild(string path)
    {
        Corpus.SkipWhenAbsent();
        var bytes = File.ReadAllBytes(Path.Combine(Corpus.Directory!, path));
        var task = Task.Run(() =>
        {
            var result = new X12Validator().Validate(bytes);
            foreach (var interchange in result.Interchanges)
            {
                X12AckWriter.BuildTa1(interchange, new X12AckSettings());
                X12AckWriter.Build997(interchange, new X12AckSettings());
                X12AckWriter.Build999(interchange, new X12AckSettings());
            }
            return result;
        }, TestContext.Current.CancellationToken);
        var result = await task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(result.SegmentCount > 0);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Validate_BadCorpusFile_HasErrorsAndRejectingAck(string path)
    {
        Corpus.SkipWhenAbsent();
        var bytes = File.ReadAllBytes(Path.Combine(Corpus.Directory!, path));
        var result = new X12Validator().Validate(bytes);
        if (!result.HasErrors)
        {
            // Only a set Sinew has no schema for may pass by default; a strict validator rejects it as not supported (AK5 code 1).
            Assert.Contains(result.Issues, i => i.Code == X12IssueCodes.SetNotSupported);
            result = new X12Validator(new X12ValidationOptions { RejectUnknownSets = true }).Validate(bytes);
        }
        Assert.True(result.HasErrors, "a file the source marks as failing must get errors");
        var verdicts = result.Interchanges.SelectMany(i => i.Groups).Select(g => g.AckCode).Concat(result.Interchanges.Select(i => i.AckCode));
        Assert.Contains(verdicts, v => v is X12AckCode.Rejected or X12AckCode.PartiallyAccepted);
    }

    [Theory]
    [MemberData(nameof(ValidFilesOfSupportedSets))]
    public void Validate_ValidCorpusFileOfSupportedSet_HasNoErrors(string path)
    {
        Corpus.SkipWhenAbsent();
        var result = new X12Validator().Validate(File.ReadAllBytes(Path.Combine(Corpus.Directory!, path)));
        var errors = result.Issues.Where(i => i.Severity == X12IssueSeverity.Error).ToList();
        if (KnownSourceDefects.TryGetValue(path, out var defect))
        {
            Assert.Equal([defect], errors.Select(e => e.Code).Distinct());
            return;
        }
        Assert.False(result.HasErrors, string.Join("\n", errors));
    }
}
