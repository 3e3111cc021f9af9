using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class ParserTests
{
    private const string Adt = "MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20240131123000-0500||ADT^A01^ADT_A01|CTRL1|P|2.5.1\rEVN|A01|20240131123000\rPID|1||123^^^HOSP^MR~456^^^OTHER^PI||DOE^JOHN^Q||19800101|M\rPV1|1|I\r";

    private static Hl7Message ParseText(string text, Hl7ParseOptions? options = null)
    {
        var result = Hl7Message.Parse(Encoding.UTF8.GetBytes(text), options);
        Assert.NotNull(result.Message);
        return result.Message;
    }

    [Fact]
    public void Parse_StandardAdt_ReadsHeaderAndFields()
    {
        var message = ParseText(Adt);

        Assert.Equal(4, message.SegmentCount);
        Assert.Equal("ADT^A01", message.MessageType);
        Assert.Equal("CTRL1", message.ControlId);
        Assert.Equal("2.5.1", message.Version);
        Assert.Equal("|", message.Get(Hl7Path.Parse("MSH-1")).ToString());
        Assert.Equal("^~\\&", message.Get(Hl7Path.Parse("MSH-2")).ToString());
        Assert.Equal("SENDAPP", message.Get(Hl7Path.Parse("MSH-3")).ToString());
        Assert.Equal("456", message.Get(Hl7Path.Parse("PID-3[2].1")).ToString());
        Assert.Equal("OTHER", message.Get(Hl7Path.Parse("PID-3[2].4")).ToString());
        Assert.Equal("123^^^HOSP^MR~456^^^OTHER^PI", message.Get(Hl7Path.Parse("PID-3")).ToString());
        Assert.Equal("JOHN", message.Get(Hl7Path.Parse("PID-5.2")).ToString());
    }

    [Fact]
    public void Get_AbsentPositions_AreEmptyAndDoNotExist()
    {
        var message = ParseText(Adt);

        Assert.False(message.Get(Hl7Path.Parse("PID-30")).Exists);
        Assert.False(message.Get(Hl7Path.Parse("PID-3[3].1")).Exists);
        Assert.False(message.Get(Hl7Path.Parse("OBX-5")).Exists);
        Assert.False(message.Get(Hl7Path.Parse("PID[2]-3")).Exists);
        Assert.True(message.Get(Hl7Path.Parse("PID-2")).Exists);
        Assert.True(message.Get(Hl7Path.Parse("PID-2")).IsEmpty);
    }

    [Fact]
    public void Parse_CustomDelimitersWithTruncation_AreHonoured()
    {
        var message = ParseText("MSH*:!$%#*APP*FAC*R*RF*20240101**ORU:R01*1*P*2.7\rPID*1**A1:B1!A2:B2**SMITH%JR:ANN\r");

        Assert.Equal(new Hl7Delimiters((byte)'*', (byte)':', (byte)'!', (byte)'$', (byte)'%', (byte)'#'), message.Delimiters);
        Assert.Equal("ORU^R01", message.MessageType);
        Assert.Equal("B2", message.Get(Hl7Path.Parse("PID-3[2].2")).ToString());
        Assert.Equal("JR", message.Get(Hl7Path.Parse("PID-5.1.2")).ToString());
        Assert.Equal(":!$%#", message.Get(Hl7Path.Parse("MSH-2")).ToString());
    }

    [Theory]
    [InlineData("\n", Hl7IssueCode.NonStandardSegmentTerminator)]
    [InlineData("\r\n", Hl7IssueCode.NonStandardSegmentTerminator)]
    public void Parse_LineFeedTerminators_AreToleratedWithWarning_AndKeptVerbatim(string terminator, Hl7IssueCode expected)
    {
        var text = Adt.Replace("\r", terminator, StringComparison.Ordinal);
        var bytes = Encoding.ASCII.GetBytes(text);

        var result = Hl7Message.Parse(bytes);

        Assert.NotNull(result.Message);
        Assert.Equal(4, result.Message.SegmentCount);
        Assert.Contains(result.Issues, i => i.Code == expected && i.Severity == Hl7Severity.Warning);
        Assert.Equal(bytes, result.Message.ToArray());
    }

    [Fact]
    public void Parse_LineFeedWhenNotAllowed_IsAnError()
    {
        var result = Hl7Message.Parse(Encoding.ASCII.GetBytes(Adt.Replace("\r", "\n", StringComparison.Ordinal)), new Hl7ParseOptions { AllowLineFeedTerminators = false });

        Assert.Contains(result.Issues, i => i.Code == Hl7IssueCode.NonStandardSegmentTerminator && i.Severity == Hl7Severity.Error);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsReportedAndKept()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes(Adt)).ToArray();

        var result = Hl7Message.Parse(bytes);

        Assert.Equal("ADT^A01", result.Message!.MessageType);
        Assert.Contains(result.Issues, i => i.Code == Hl7IssueCode.ByteOrderMark);
        Assert.Equal(bytes, result.Message.ToArray());
    }

    [Theory]
    [InlineData("", Hl7IssueCode.EmptyMessage)]
    [InlineData("PID|1||123\r", Hl7IssueCode.MissingHeader)]
    [InlineData("garbage", Hl7IssueCode.MissingHeader)]
    public void Parse_InputWithoutHeader_ReturnsNoMessageAndAnError(string text, Hl7IssueCode expected)
    {
        var result = Hl7Message.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Null(result.Message);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Issues, i => i.Code == expected && i.Severity == Hl7Severity.Error);
    }

    [Theory]
    [InlineData("MSH|&&&&|APP\r")]
    [InlineData("MSH|APP|FAC\r")]
    [InlineData("MSHA^~\\&|APP\r")]
    public void Parse_IllegalEncodingCharacters_ReportInvalidDelimiters(string text)
    {
        var result = Hl7Message.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Contains(result.Issues, i => i.Code == Hl7IssueCode.InvalidDelimiters);
        Assert.Equal(Encoding.ASCII.GetBytes(text), result.Message!.ToArray());
    }

    [Fact]
    public void Parse_ContinuationLineWithoutSegmentName_JoinsPreviousSegmentWithWarning()
    {
        var bytes = Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\nOBX|1|TX|||first line\nsecond line|F\n");

        var result = Hl7Message.Parse(bytes);

        Assert.Equal(2, result.Message!.SegmentCount);
        Assert.Contains(result.Issues, i => i.Code == Hl7IssueCode.LineBreakInsideSegment);
        Assert.Equal("F", result.Message.Get(Hl7Path.Parse("OBX-6")).ToString());
        Assert.Equal(bytes, result.Message.ToArray());
    }

    [Fact]
    public void Parse_TwoMessagesInOneInput_WarnsAndPointsToBatchReading()
    {
        var result = Hl7Message.Parse(Encoding.ASCII.GetBytes(Adt + Adt));

        Assert.Contains(result.Issues, i => i.Code == Hl7IssueCode.MultipleMessages);
    }

    [Theory]
    [InlineData("ASCII", "Ascii")]
    [InlineData("8859/1", "Latin1")]
    [InlineData("UNICODE UTF-8", "Utf8")]
    public void Parse_Msh18CharacterSet_SelectsDecoding(string msh18, string expected)
    {
        var message = ParseText($"MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5||||||{msh18}\r");

        var want = expected switch { "Ascii" => Hl7TextEncoding.Ascii, "Latin1" => Hl7TextEncoding.Latin1, _ => Hl7TextEncoding.Utf8 };
        Assert.Same(want, message.Encoding);
    }

    [Fact]
    public void Parse_Latin1Message_DecodesTextButKeepsBytes()
    {
        var bytes = Encoding.Latin1.GetBytes("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5||||||8859/1\rPID|1||1||MÜLLER^JOSÉ\r");

        var message = Hl7Message.Parse(bytes).Message!;

        Assert.Equal("MÜLLER", message.Get(Hl7Path.Parse("PID-5.1")).ToString());
        Assert.Equal(bytes, message.ToArray());
    }

    [Fact]
    public void Parse_Utf8Message_DecodesText()
    {
        var message = ParseText("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5||||||UNICODE UTF-8\rPID|1||1||李^小龙\r");

        Assert.Equal("李", message.Get(Hl7Path.Parse("PID-5.1")).ToString());
    }

    [Fact]
    public void Segment_FieldAccess_CountsMshFieldsFromTheSeparator()
    {
        var message = ParseText(Adt);
        var msh = message[0];

        Assert.True(msh.IsHeader);
        Assert.Equal(12, msh.FieldCount);
        Assert.Equal("ADT", msh.Field(9).Component(1).ToString());
        Assert.Equal(2, message[2].Field(3).RepetitionCount);
        Assert.Equal("PI", message[2].Field(3).Repetition(2).Component(5).ToString());
        Assert.True(message.TryGetSegment("PV1"u8, out var pv1));
        Assert.Equal("I", pv1.Field(2).ToString());
    }

    [Fact]
    public void Parse_MultiSegmentSequence_CopiesAndReadsLikeContiguousBytes()
    {
        var bytes = Encoding.ASCII.GetBytes(Adt);
        var first = new Chunk(bytes.AsMemory(0, 20));
        var last = first.Append(bytes.AsMemory(20));
        var sequence = new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        var result = Hl7Message.Parse(sequence);

        Assert.Equal("ADT^A01", result.Message!.MessageType);
        Assert.Equal(bytes, result.Message.ToArray());
    }

    private sealed class Chunk : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
