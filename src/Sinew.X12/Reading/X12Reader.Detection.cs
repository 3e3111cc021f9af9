namespace Sinew.X12;

/// <summary>Content detection, for tools that must tell X12 from other formats by the first bytes of a file.</summary>
public sealed partial class X12Reader
{
    /// <summary>
    /// True when the first bytes of a file look like X12: an ISA and a separator at the start (after an optional UTF-8 BOM
    /// and blank lines) or at the start of a line, for files that carry a few lines of prose before the interchange.
    /// </summary>
    public static bool LooksLikeX12(ReadOnlySpan<byte> head)
    {
        if (head is [0xEF, 0xBB, 0xBF, ..])
        {
            head = head[3..];
        }
        head = head.TrimStart(" \t\r\n"u8);
        for (var at = 0; at >= 0 && at + 4 <= head.Length;)
        {
            if (head[at..].StartsWith("ISA"u8) && (at == 0 || head[at - 1] is (byte)'\n' or (byte)'\r') && IsSeparator(head[at + 3]))
            {
                return true;
            }
            var next = head[(at + 1)..].IndexOf("ISA"u8);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    private static bool IsSeparator(byte b) => !X12Delimiters.IsAlphanumeric(b) && b is not ((byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t');
}
