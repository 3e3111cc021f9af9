using System.Security.Cryptography;
using System.Text;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// Envelope encryption of one row: a random 256-bit data key seals the row's blobs with AES-GCM (random 96-bit nonce each,
/// the column name as associated data, so a blob cannot be moved to another column), and the data key is itself sealed by
/// the key-encryption key (associated data: the key id). Layout of every sealed blob: nonce (12) | ciphertext | tag (16).
/// </summary>
internal static class Envelope
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    public const int DataKeySize = 32;

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(DataKeySize);

    public static byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, string associated)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(associated));
        return output;
    }

    public static byte[] Open(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> key, string associated)
    {
        if (sealedData.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("the sealed value is shorter than its nonce and tag");
        }
        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedData[..NonceSize], sealedData.Slice(NonceSize, plaintext.Length), sealedData[^TagSize..], plaintext, Encoding.UTF8.GetBytes(associated));
        return plaintext;
    }

    public static byte[] Wrap(ReadOnlySpan<byte> dataKey, JournalKeyRing ring, string keyId) => Seal(dataKey, ring.KeyOf(keyId), "kek:" + keyId);

    public static byte[] Unwrap(ReadOnlySpan<byte> wrapped, JournalKeyRing ring, string keyId) => Open(wrapped, ring.KeyOf(keyId), "kek:" + keyId);
}
