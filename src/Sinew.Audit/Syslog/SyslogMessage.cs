using System.Globalization;
using System.Text;
using Sinew.Audit.Log;

namespace Sinew.Audit.Syslog;

/// <summary>
/// One audit record as an RFC 5424 message in RFC 5425 octet-counting framing (<c>LEN SP SYSLOG-MSG</c>). The
/// structured data <c>[sinew@32473 …]</c> carries the chain position (seq, hash, prev) and who did what to which object
/// with what outcome; the free-text reason is left out (it may quote what an auditor typed), so nothing beyond ids leaves.
/// </summary>
public static class SyslogMessage
{
    /// <summary>The SD-ID: 32473 is the private enterprise number IANA reserves for examples (RFC 5612).</summary>
    public const string StructuredDataId = "sinew@32473";

    private const int MostValueChars = 256;

    /// <summary>RFC 5424 severity from the record's outcome: success informational, denied notice, failure warning.</summary>
    public static int Severity(string outcome) => outcome switch
    {
        "success" => 6,
        "denied" => 5,
        _ => 4,
    };

    /// <summary>The framed bytes of <paramref name="entry"/>, ready to write to the TLS stream.</summary>
    public static byte[] Frame(AuditEntry entry, int facility, string hostName, string appName, int processId)
    {
        var message = Encoding.UTF8.GetBytes(Format(entry, facility, hostName, appName, processId));
        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. message];
    }

    /// <summary>The RFC 5424 SYSLOG-MSG of <paramref name="entry"/>, without framing.</summary>
    public static string Format(AuditEntry entry, int facility, string hostName, string appName, int processId)
    {
        var record = entry.Record;
        var text = new StringBuilder(384);
        text.Append('<').Append((facility * 8) + Severity(record.Outcome)).Append(">1 ")
            .Append(record.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(Header(hostName, 255)).Append(' ')
            .Append(Header(appName, 48)).Append(' ')
            .Append(processId.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Header(record.Action, 32)).Append(' ')
            .Append('[').Append(StructuredDataId);
        Param(text, "seq", entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Param(text, "hash", entry.Hash);
        Param(text, "prev", entry.PreviousHash);
        Param(text, "action", record.Action);
        Param(text, "actor", record.Actor);
        Param(text, "role", record.Role);
        Param(text, "outcome", record.Outcome);
        Param(text, "target", record.Target);
        Param(text, "source", record.Source);
        text.Append(']');
        var summary = $"{record.Action} {record.Target ?? "-"} by {record.Actor}: {record.Outcome}";
        text.Append(' ');
        if (!Ascii.IsValid(summary))
        {
            // RFC 5424 §6.4: a UTF-8 MSG starts with the BOM; a pure ASCII one is valid as it is.
            text.Append('\uFEFF');
        }
        text.Append(summary);
        return text.ToString();
    }

    /// <summary>A header field: printable ASCII without spaces, at most <paramref name="max"/> characters, or the NILVALUE.</summary>
    private static string Header(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }
        var chars = value.Where(c => c is >= '!' and <= '~').Take(max).ToArray();
        return chars.Length == 0 ? "-" : new string(chars);
    }

    /// <summary>An SD-PARAM; '"', '\' and ']' are escaped with a backslash (RFC 5424 §6.3.3), control characters dropped.</summary>
    private static void Param(StringBuilder text, string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        text.Append(' ').Append(name).Append("=\"");
        var written = 0;
        foreach (var c in value)
        {
            if (written++ == MostValueChars)
            {
                text.Append('…');
                break;
            }
            if (char.IsControl(c))
            {
                continue;
            }
            if (c is '"' or '\\' or ']')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        text.Append('"');
    }
}
