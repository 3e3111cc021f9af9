namespace Sinew.Hl7v2.Tests;

/// <summary>Finds the shared corpus at ../shared/corpus next to the repository, never copying it.</summary>
internal static class Corpus
{
    public static string? Root { get; } = Find();

    public static string SkipReason => "The shared corpus (../shared/corpus beside the folder holding Sinew.slnx) is not present on this machine.";

    public static TheoryData<string> ValidFiles() => Files(bad: false);

    public static TheoryData<string> BadFiles() => Files(bad: true);

    public static string PathOf(string relative) => Path.Combine(Root!, relative);

    private static TheoryData<string> Files(bool bad)
    {
        var data = new TheoryData<string>();
        if (Root is null)
        {
            data.Add("(absent)");
            return data;
        }
        var folder = bad ? Path.Combine(Root, "hl7v2", "bad") : Path.Combine(Root, "hl7v2");
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }
        return data;
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sinew.slnx")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
                return Directory.Exists(Path.Combine(corpus, "hl7v2")) ? corpus : null;
            }
        }
        return null;
    }
}
