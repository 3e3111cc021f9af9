using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class FileCheckTests
{
    private static readonly Hl7ProfileSet Profiles = Hl7ProfileSet.LoadBuiltIn();

    [Fact]
    public void Check_ValidBatch_CountsMessagesAndPrintsValid()
    {
        var text = "BHS|^~\\&|A|B\rMSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\rEVN|A01\rPID|1||1||A^B\rPV1|1|I\rBTS|1\r";
        var output = new StringWriter();

        var report = Hl7FileCheck.Check(new MemoryStream(Encoding.ASCII.GetBytes(text)), "f.hl7", Profiles, output);

        Assert.Equal((1, 0), (report.Messages, report.Errors));
        Assert.EndsWith("f.hl7: HL7 v2, 1 messages, 0 errors, 0 warnings — valid" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MessageWithErrors_PrintsIssueWithLocationButNoContent()
    {
        var text = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\rEVN|A01\rPID|1||||SECRETNAME\rPV1|1|I\r";
        var output = new StringWriter();

        var report = Hl7FileCheck.Check(new MemoryStream(Encoding.ASCII.GetBytes(text)), "f.hl7", Profiles, output);

        Assert.Equal(1, report.Errors);
        Assert.Contains("message 1 at byte 0 (ADT^A01): Error 3001 RequiredFieldMissing at PID-3", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETNAME", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FileWithoutMessages_IsAnError()
    {
        var report = Hl7FileCheck.Check(new MemoryStream([]), "empty", Profiles, new StringWriter());

        Assert.Equal(1, report.Errors);
    }

    [Fact]
    public void Roundtrip_MixedTerminatorsAndBom_IsIdentical()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r\nPID|1\n\nMSH|^~\\&|A|B|C|D|1||ADT^A01|2|P|2.5\rPID|2  ")).ToArray();
        var output = new StringWriter();

        var report = Hl7FileCheck.Roundtrip(new MemoryStream(bytes), "f", output);

        Assert.Null(report.FirstDifference);
        Assert.Equal(2, report.Messages);
        Assert.Equal(bytes.Length, report.Bytes);
        Assert.Contains("identical", output.ToString(), StringComparison.Ordinal);
    }
}
