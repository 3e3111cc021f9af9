using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sinew.Core.Audit;

namespace Sinew.Audit.Log;

/// <summary>
/// How one audit record is hashed into the chain: SHA-256 (or HMAC-SHA256 when the log has a key) over a canonical,
/// length-prefixed serialization of its sequence number, time, every field and the previous record's hash. Length
/// prefixes make the encoding unambiguous, so no two different records serialize alike.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(long sequence, AuditRecord record, string previous, byte[]? key)
    {
        var text = new StringBuilder(256);
        text.Append("sinew-audit-v1\n").Append(sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(record.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var field in (string?[])[record.Action, record.Actor, record.Role, record.Target, record.Outcome, record.Reason, record.Source])
        {
            if (field is null)
            {
                text.Append("-\n");
            }
            else
            {
                text.Append(Encoding.UTF8.GetByteCount(field).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
            }
        }
        text.Append(previous);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }
}
