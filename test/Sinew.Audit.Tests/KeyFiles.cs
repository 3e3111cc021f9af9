using System.Security.Cryptography;

namespace Sinew.Audit.Tests;

/// <summary>Random 256-bit keys written once per name under a test's folder, referenced the way sinew.yaml takes them.</summary>
internal static class KeyFiles
{
    /// <summary>The <c>file:</c> reference of the key named <paramref name="name"/>, created on first use.</summary>
    public static string Key(this TempFolder folder, string name)
    {
        var path = folder.Combine("keys", name);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return "file:" + path;
    }
}
