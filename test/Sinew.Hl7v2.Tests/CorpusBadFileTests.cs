namespace Sinew.Hl7v2.Tests;

public sealed class CorpusBadFileTests
{
    [Theory]
    [MemberData(nameof(Corpus.BadFiles), MemberType = typeof(Corpus))]
    public void BadCorpusFile_ReportsIssues_WithoutThrowing_AndStillRoundTrips(string file)
    {
        Assert.SkipWhen(Corpus.Root is null, Corpus.SkipReason);
        var bytes = File.ReadAllBytes(Corpus.PathOf(file));
        var profiles = Hl7ProfileSet.LoadBuiltIn();

        var issues = new List<Hl7Issue>();
        var rebuilt = new List<byte>();
        var batch = Hl7Batch.Parse(bytes);
        issues.AddRange(batch.Issues);
        foreach (var item in batch.Items)
        {
            var result = item.Parse();
            issues.AddRange(result.Issues);
            if (result.Message is { } message)
            {
                issues.AddRange(Hl7Validator.Validate(message, profiles));
                rebuilt.AddRange(message.ToArray());
            }
            else
            {
                rebuilt.AddRange(item.Bytes.ToArray());
            }
        }

        Assert.Equal(bytes, rebuilt.ToArray());
        Assert.Contains(issues, i => i.Severity == Hl7Severity.Error);
    }
}
