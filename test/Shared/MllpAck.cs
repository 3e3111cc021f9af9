using System.Text;

namespace Sinew.Testing;

/// <summary>Reads what the tests check in an HL7 v2 ACK.</summary>
internal static class MllpAck
{
    /// <summary>MSA-1 and MSA-2 of an ACK (the ACK's own field separator is used).</summary>
    public static (string Code, string ControlId) Msa(byte[] ack)
    {
        var text = Encoding.Latin1.GetString(ack);
        if (text.Length < 4 || !text.StartsWith("MSH", StringComparison.Ordinal))
        {
            return ("(not an ACK)", "");
        }
        var separator = text[3];
        foreach (var segment in text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith("MSA" + separator, StringComparison.Ordinal))
            {
                var fields = segment.Split(separator);
                return (fields.Length > 1 ? fields[1] : "", fields.Length > 2 ? fields[2] : "");
            }
        }
        return ("(no MSA)", "");
    }
}
