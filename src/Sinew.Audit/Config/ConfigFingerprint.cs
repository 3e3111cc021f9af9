using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sinew.Engine.Config;

namespace Sinew.Audit.Config;

/// <summary>
/// The SHA-256 fingerprint of a configuration folder: <c>sinew.yaml</c> and every file under the channels folder
/// (channel files, mappings, crosswalks, restriction lists), by sorted relative path and content, with each file's own
/// hash so a change can name the files it touched.
/// </summary>
public sealed record ConfigFingerprint(string Hash, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>Reads the folder; hidden files (editor swap files, <c>.git</c>) are left out.</summary>
    public static ConfigFingerprint Compute(string configDirectory)
    {
        var directory = Path.GetFullPath(configDirectory);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var shared = Path.Combine(directory, ConfigLoader.SharedFileName);
        var channels = Path.Combine(directory, "channels");
        if (File.Exists(shared))
        {
            files[ConfigLoader.SharedFileName] = FileHash(shared);
            var section = ConfigLoader.ReadFile(shared, new ConfigDiagnostics());
            if (section?.GetString("channels", "channels") is { Length: > 0 } named)
            {
                channels = Path.GetFullPath(named, directory);
            }
        }
        if (Directory.Exists(channels))
        {
            foreach (var path in Directory.EnumerateFiles(channels, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
                if (!relative.Split('/').Any(part => part.StartsWith('.')))
                {
                    files[relative] = FileHash(path);
                }
            }
        }
        return new ConfigFingerprint(HashOf(files), files);
    }

    /// <summary>The fingerprint of a set of file hashes: SHA-256 over the sorted, length-prefixed path and hash of each.</summary>
    public static string HashOf(IReadOnlyDictionary<string, string> files)
    {
        var all = new StringBuilder();
        foreach (var name in files.Keys.Order(StringComparer.Ordinal))
        {
            all.Append(name.Length).Append(':').Append(name).Append('=').Append(files[name]).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
    }

    /// <summary>The files added, removed or edited since <paramref name="before"/> (all of them when it is unknown).</summary>
    public IReadOnlyList<string> ChangedSince(IReadOnlyDictionary<string, string>? before)
    {
        if (before is null)
        {
            return [.. Files.Keys];
        }
        var changed = Files.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).Select(f => f.Key)
            .Concat(before.Keys.Where(k => !Files.ContainsKey(k)).Select(k => k + " (removed)"));
        return [.. changed.Order(StringComparer.Ordinal)];
    }

    /// <summary>The per-file hashes as stored beside the audit record.</summary>
    public string FilesJson() => JsonSerializer.Serialize(Files);

    public static IReadOnlyDictionary<string, string>? ReadFiles(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FileHash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
