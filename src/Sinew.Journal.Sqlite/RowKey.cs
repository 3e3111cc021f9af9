namespace Sinew.Journal.Sqlite;

/// <summary>A fresh data key for one row, with its wrapped form and the id of the key-encryption key that wrapped it.</summary>
internal sealed class RowKey
{
    private RowKey(byte[] dataKey, string keyId, byte[] wrapped)
    {
        DataKey = dataKey;
        KeyId = keyId;
        Wrapped = wrapped;
    }

    public byte[] DataKey { get; }

    public string KeyId { get; }

    public byte[] Wrapped { get; }

    public static RowKey Create(JournalKeyRing ring)
    {
        var dataKey = Envelope.NewDataKey();
        return new RowKey(dataKey, ring.ActiveKeyId, Envelope.Wrap(dataKey, ring, ring.ActiveKeyId));
    }
}
