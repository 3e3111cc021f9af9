using Sinew.Hl7v2;

namespace Sinew.Cli.Commands;

/// <summary>HL7 v2 files for <c>sinew check</c> and <c>sinew roundtrip</c>: detected by MSH, FHS or BHS at the start (after a BOM or blank lines).</summary>
internal sealed class Hl7FileFormat : IFileFormatHandler
{
    private readonly Lazy<Hl7ProfileSet> profiles = new(Hl7ProfileSet.LoadBuiltIn);

    public string Name => "HL7 v2";

    public bool CanHandle(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\xEF\xBB\xBF"u8))
        {
            head = head[3..];
        }
        head = head.TrimStart(" \t\r\n"u8);
        return head.Length >= 4
            && (head.StartsWith("MSH"u8) || head.StartsWith("FHS"u8) || head.StartsWith("BHS"u8))
            && !char.IsAsciiLetterOrDigit((char)head[3]);
    }

    public int Check(string path, TextWriter output)
    {
        using var stream = File.OpenRead(path);
        return Hl7FileCheck.Check(stream, path, profiles.Value, output).Errors > 0 ? 1 : 0;
    }

    public int Roundtrip(string path, TextWriter output)
    {
        using var stream = File.OpenRead(path);
        return Hl7FileCheck.Roundtrip(stream, path, output).FirstDifference is null ? 0 : 1;
    }
}
