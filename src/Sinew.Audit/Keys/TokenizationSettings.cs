using Sinew.Canonical;
using Sinew.Engine.Config;

namespace Sinew.Audit.Keys;

/// <summary>
/// The <c>tokenization:</c> section of <c>sinew.yaml</c>: versioned HMAC keys (old versions stay to check old tokens), the
/// active version, and whether tokens are random surrogates kept in the encrypted vault instead of keyed hashes.
/// </summary>
public sealed record TokenizationSettings(HmacTokenizer Tokenizer, bool Vault)
{
    public const string SectionName = "tokenization";

    public static object? Read(ConfigSection? section, string configDirectory)
    {
        if (section is null)
        {
            return null;
        }
        var keys = new Dictionary<int, byte[]>();
        foreach (var item in section.GetSections("keys", required: true))
        {
            var version = (int)item.GetInt("version", 0, 1, 9999);
            var key = KeyMaterial.Read(item, "key", 32);
            item.ReportUnknown();
            if (version == 0)
            {
                item.Error("version", "is required (1, 2, …)");
            }
            else if (key is not null && !keys.TryAdd(version, key))
            {
                item.Error("version", $"version {version} is listed twice");
            }
        }
        var active = (int)section.GetInt("active", keys.Count == 0 ? 0 : keys.Keys.Max(), 1, 9999);
        var vault = section.GetBool("vault", false);
        section.ReportUnknown();
        if (keys.Count == 0)
        {
            return null;
        }
        if (!keys.ContainsKey(active))
        {
            section.Error("active", $"version {active} is not among the keys ({string.Join(", ", keys.Keys.Order())})");
            return null;
        }
        return new TokenizationSettings(new HmacTokenizer(keys, active), vault);
    }
}
