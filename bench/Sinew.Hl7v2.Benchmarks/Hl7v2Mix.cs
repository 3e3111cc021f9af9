namespace Sinew.Hl7v2.Benchmarks;

/// <summary>
/// The benchmark mix: every message of every valid corpus file, BOM removed and line endings normalised to CR, exactly as
/// bench/peers/hl7v2/mix.py builds it for the peers, so every parser sees the same bytes.
/// </summary>
internal static class Hl7v2Mix
{
    public static byte[][] Load()
    {
        var folder = Path.Combine(FindCorpus(), "hl7v2");
        var messages = new List<byte[]>();
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var data = File.ReadAllBytes(file).AsSpan();
            if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                data = data[3..];
            }
            var text = System.Text.Encoding.Latin1.GetString(data).Replace("\r\n", "\r", StringComparison.Ordinal).Replace('\n', '\r');
            var start = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && !(text[i] == '\r' && string.CompareOrdinal(text, i + 1, "MSH", 0, 3) == 0))
                {
                    continue;
                }
                var message = text[start..i].Trim('\r', ' ', '\t');
                if (message.StartsWith("MSH", StringComparison.Ordinal))
                {
                    messages.Add(System.Text.Encoding.Latin1.GetBytes(message + "\r"));
                }
                start = i + 1;
            }
        }
        return [.. messages];
    }

    private static string FindCorpus()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SINEW_CORPUS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sinew.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
            }
        }
        throw new DirectoryNotFoundException("The shared corpus was not found; set SINEW_CORPUS.");
    }
}
