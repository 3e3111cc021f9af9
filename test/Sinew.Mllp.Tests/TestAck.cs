using System.Buffers;
using System.Text;

namespace Sinew.Mllp.Tests;

/// <summary>Test-only HL7 bits: sample messages and an ACK built from MSH-10 by byte search (the real codec lives elsewhere).</summary>
internal static class TestAck
{
    public static byte[] Message(string controlId) =>
        Encoding.ASCII.GetBytes($"MSH|^~\\&|SND|FAC|RCV|FAC|20260101000000||ADT^A01|{controlId}|P|2.5\rEVN|A01|20260101000000\rPID|1||123^^^HOSP^MR\r");

    public static byte[] Ack(string controlId) =>
        Encoding.ASCII.GetBytes($"MSH|^~\\&|RCV|FAC|SND|FAC|20260101000000||ACK|A{controlId}|P|2.5\rMSA|AA|{controlId}\r");

    public static byte[] Reject(string code, string controlId) =>
        Encoding.ASCII.GetBytes($"MSH|^~\\&|RCV|FAC|SND|FAC|20260101000000||ACK|R{controlId}|P|2.5\rMSA|AR|{controlId}\rERR|||{code}\r");

    /// <summary>MSH-10 of a message, or empty when it cannot be found.</summary>
    public static string ControlId(ReadOnlySequence<byte> payload)
    {
        var bytes = payload.Length > 512 ? payload.Slice(0, 512).ToArray() : payload.ToArray();
        var text = Encoding.ASCII.GetString(bytes);
        var start = text.IndexOf("MSH|", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var fields = text[start..].Split('\r')[0].Split('|');
        return fields.Length > 9 ? fields[9] : "";
    }

    /// <summary>MSA-2 of an ACK, or empty.</summary>
    public static string AckedId(byte[] ack)
    {
        foreach (var segment in Encoding.ASCII.GetString(ack).Split('\r'))
        {
            if (segment.StartsWith("MSA|", StringComparison.Ordinal))
            {
                var fields = segment.Split('|');
                return fields.Length > 2 ? fields[2] : "";
            }
        }

        return "";
    }
}
