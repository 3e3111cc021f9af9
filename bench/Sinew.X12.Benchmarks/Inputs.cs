namespace Sinew.X12.Benchmarks;

/// <summary>Where the benchmark inputs are: the shared corpus and the generated file the bench script writes.</summary>
internal static class Inputs
{
    public static string CorpusDirectory =>
        Environment.GetEnvironmentVariable("X12_BENCH_CORPUS") ?? Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "corpus", "x12"));

    public static string GeneratedFile =>
        Environment.GetEnvironmentVariable("X12_BENCH_FILE") ?? Path.Combine(Path.GetTempPath(), "sinew-x12-850-64mb.edi");

    /// <summary>Every X12 file of the corpus, good and bad, in a stable order.</summary>
    public static IEnumerable<string> CorpusFiles() =>
        Directory.EnumerateFiles(CorpusDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sinew.slnx")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
