namespace Sinew.Journal.Sqlite;

/// <summary>
/// The key-encryption keys (KEKs) of the journal: each message's random data key is wrapped by the active one, and every
/// key still named by a row must be present to read it. Keys come from <c>file:</c>/<c>env:</c> references, never the file.
/// </summary>
public sealed class JournalKeyRing
{
    public JournalKeyRing(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId)
    {
        if (!keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"the active key '{activeKeyId}' is not among the keys", nameof(activeKeyId));
        }
        foreach (var (id, key) in keys)
        {
            if (key.Length != 32)
            {
                throw new ArgumentException($"key '{id}' has {key.Length} bytes; a key-encryption key is 32 bytes (base64 of 32 random bytes)", nameof(keys));
            }
        }
        Keys = keys;
        ActiveKeyId = activeKeyId;
    }

    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    /// <summary>The key new data keys are wrapped with, and the one rotation re-wraps every row under.</summary>
    public string ActiveKeyId { get; }

    public byte[] KeyOf(string id) =>
        Keys.TryGetValue(id, out var key)
            ? key
            : throw new InvalidOperationException($"the journal holds rows wrapped with key '{id}', which is not in the encryption keys of sinew.yaml; add it back until 'sinew keys rotate' has re-wrapped every row");
}
