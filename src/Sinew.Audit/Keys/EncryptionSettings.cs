using Sinew.Engine.Config;
using Sinew.Journal.Sqlite;

namespace Sinew.Audit.Keys;

/// <summary>
/// The <c>encryption:</c> section of <c>sinew.yaml</c>: the key-encryption keys of the journal (and the token vault), each a
/// 32-byte key by <c>file:</c>/<c>env:</c> reference, and the active one new data keys are wrapped with.
/// </summary>
public sealed record EncryptionSettings(JournalKeyRing Keys)
{
    public const string SectionName = "encryption";

    public static object? Read(ConfigSection? section, string configDirectory)
    {
        if (section is null)
        {
            return null;
        }
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var item in section.GetSections("keys", required: true))
        {
            var id = item.GetString("id", required: true);
            var key = KeyMaterial.Read(item, "key", 32, exactBytes: 32);
            item.ReportUnknown();
            if (id is null || key is null)
            {
                continue;
            }
            if (!ConfigLoader.IsValidName(id))
            {
                item.Error("id", $"'{id}' must be 1-64 letters, digits, '-' or '_'");
            }
            else if (!keys.TryAdd(id, key))
            {
                item.Error("id", $"key '{id}' is listed twice");
            }
        }
        var active = section.GetString("active", required: true);
        section.ReportUnknown();
        if (active is not null && keys.Count > 0 && !keys.ContainsKey(active))
        {
            section.Error("active", $"'{active}' is not the id of one of the keys ({string.Join(", ", keys.Keys)})");
            return null;
        }
        return active is null || keys.Count == 0 ? null : new EncryptionSettings(new JournalKeyRing(keys, active));
    }
}
