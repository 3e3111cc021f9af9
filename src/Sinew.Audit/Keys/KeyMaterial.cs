using Sinew.Engine.Config;

namespace Sinew.Audit.Keys;

/// <summary>Reads a key given by reference (<c>file:</c>/<c>env:</c>) whose text is the base64 of random bytes.</summary>
internal static class KeyMaterial
{
    public static byte[]? Read(ConfigSection section, string key, int minBytes, int? exactBytes = null)
    {
        var text = section.GetSecret(key, required: true);
        if (text is null)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            section.Error(key, "the key must be base64 text (e.g. made with: head -c 32 /dev/urandom | base64)");
            return null;
        }
        if (exactBytes is { } exact && bytes.Length != exact)
        {
            section.Error(key, $"the key has {bytes.Length} bytes; it must be {exact} (head -c {exact} /dev/urandom | base64)");
            return null;
        }
        if (bytes.Length < minBytes)
        {
            section.Error(key, $"the key has {bytes.Length} bytes; at least {minBytes} are needed");
            return null;
        }
        return bytes;
    }
}
