namespace Sinew.Hl7v2.Tests;

public sealed class CorpusConformanceTests
{
    [Theory]
    [MemberData(nameof(Corpus.ValidFiles), MemberType = typeof(Corpus))]
    public void ValidCorpusFile_ParsesEveryMessage_AndReserializesByteIdentical(string file)
    {
        Assert.SkipWhen(Corpus.Root is null, Corpus.SkipReason);
        var bytes = File.ReadAllBytes(Corpus.PathOf(file));

        var batch = Hl7Batch.Parse(bytes);

        Assert.True(batch.MessageCount >= 1, $"{file}: no message found");
        var rebuilt = new List<byte>(bytes.Length);
        foreach (var item in batch.Items)
        {
            if (item.Kind != Hl7BatchItemKind.Message)
            {
                rebuilt.AddRange(item.Bytes.ToArray());
                continue;
            }
            var result = item.Parse();
            Assert.NotNull(result.Message);
            // Two source files declare MSH-2 as ^~\\& (a doubled escape); that is illegal and must be reported, nothing else may be an error.
            Assert.DoesNotContain(result.Issues, i => i.Severity == Hl7Severity.Error && i.Code != Hl7IssueCode.InvalidDelimiters);
            var encodingCharacters = result.Message[0].Field(2).Raw.ToArray();
            Assert.Equal(encodingCharacters.Distinct().Count() != encodingCharacters.Length, result.Issues.Any(i => i.Code == Hl7IssueCode.InvalidDelimiters));
            rebuilt.AddRange(result.Message.ToArray());
        }
        Assert.Equal(bytes, rebuilt.ToArray());
    }

    [Theory]
    [MemberData(nameof(Corpus.ValidFiles), MemberType = typeof(Corpus))]
    public void ValidCorpusFile_StreamedInSmallReads_GivesTheSameItems(string file)
    {
        Assert.SkipWhen(Corpus.Root is null, Corpus.SkipReason);
        var bytes = File.ReadAllBytes(Corpus.PathOf(file));
        var expected = Hl7Batch.Parse(bytes).Items;

        using var reader = new Hl7BatchReader(new TrickleStream(bytes, 7));
        var streamed = new List<Hl7BatchItem>();
        while (reader.Read() is { } item)
        {
            streamed.Add(item);
        }

        Assert.Equal(expected.Count, streamed.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Kind, streamed[i].Kind);
            Assert.Equal(expected[i].Offset, streamed[i].Offset);
            Assert.Equal(expected[i].Bytes.ToArray(), streamed[i].Bytes.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.ValidFiles), MemberType = typeof(Corpus))]
    public void ValidCorpusFile_FileRoundtripCommand_ReportsIdentical(string file)
    {
        Assert.SkipWhen(Corpus.Root is null, Corpus.SkipReason);
        using var stream = File.OpenRead(Corpus.PathOf(file));
        var output = new StringWriter();

        var report = Hl7FileCheck.Roundtrip(stream, file, output);

        Assert.Null(report.FirstDifference);
        Assert.Equal(new FileInfo(Corpus.PathOf(file)).Length, report.Bytes);
        Assert.Contains("identical", output.ToString(), StringComparison.Ordinal);
    }
}
