using Sinew.Fuzz;

namespace Sinew.Reliability.Tests.Fuzz;

/// <summary>
/// Replays the inputs kept from fuzzing (Fuzz/&lt;target&gt;/*) through the same targets AFL++ runs (fuzz/Sinew.Fuzz,
/// linked here), so a parser that breaks on one again fails CI; and runs every target over the shared corpus.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string Kept(string target) => Path.Combine(AppContext.BaseDirectory, "Fuzz", target);

    public static TheoryData<string, string> KeptInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            if (Directory.Exists(Kept(target)))
            {
                foreach (var file in Directory.GetFiles(Kept(target)).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetFileName(file));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KeptInputs))]
    public void KeptFuzzInput_ParsesWithoutBreakingItsPromise(string target, string file) =>
        FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(Kept(target), file)));

    public static TheoryData<string> FhirDefects() =>
        [.. Directory.GetFiles(Kept("fhir-defects")).Select(f => Path.GetFileName(f) ?? f).Order(StringComparer.Ordinal)];

    /// <summary>Found by AFL++ on the fhir target; the exceptions come from Firely's deserializer and escape FhirParser.</summary>
    [Theory]
    [MemberData(nameof(FhirDefects))]
    public void Bug_FhirParserLetsFirelyExceptionsEscape(string file) =>
        FuzzTargets.Run("fhir", File.ReadAllBytes(Path.Combine(Kept("fhir-defects"), file)));

    [Theory]
    [InlineData("hl7", "hl7v2")]
    [InlineData("mllp", "hl7v2")]
    [InlineData("x12", "x12")]
    [InlineData("fhir", "fhir")]
    public void EveryCorpusFile_PassesItsFuzzTarget(string target, string folder)
    {
        var corpus = Path.GetFullPath(Path.Combine(SinewProcess.RepoRoot, "..", "shared", "corpus", folder));
        Assert.SkipWhen(!Directory.Exists(corpus), $"the shared corpus is not at {corpus} (it is read in place, never copied into the project)");
        var failures = new List<string>();
        foreach (var file in Directory.GetFiles(corpus, "*", SearchOption.AllDirectories))
        {
            try
            {
                FuzzTargets.Run(target, File.ReadAllBytes(file));
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"{Path.GetRelativePath(corpus, file)}: {ex.Message}");
            }
        }
        Assert.Empty(failures);
    }
}
