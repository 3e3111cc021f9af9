namespace Sinew.X12.Tests;

/// <summary>Finds the shared corpus (../shared/corpus from the repository root) and reads its manifest.</summary>
internal static class Corpus
{
    public static string? Directory { get; } = Find();

    public static string X12 => Path.Combine(Directory!, "x12");

    public static void SkipWhenAbsent() =>
        Assert.SkipWhen(Directory is null, "the shared corpus (../shared/corpus next to the repository) is absent");

    /// <summary>Manifest rows of X12 files: relative path, set ids, expected verdict, notes.</summary>
    public static IEnumerable<(string Path, string MessageType, string Expected, string Notes)> X12Rows()
    {
        foreach (var line in File.ReadLines(System.IO.Path.Combine(Directory!, "MANIFEST.tsv")).Skip(1))
        {
            var cols = line.Split('\t');
            if (cols.Length >= 7 && cols[1] == "x12")
            {
                yield return (cols[0], cols[2], cols[3], cols[6]);
            }
        }
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sinew.slnx")))
            {
                var corpus = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpus"));
                return System.IO.Directory.Exists(System.IO.Path.Combine(corpus, "x12")) ? corpus : null;
            }
        }
        return null;
    }
}
