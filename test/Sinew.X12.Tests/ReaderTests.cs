using System.Text;

namespace Sinew.X12.Tests;

public sealed class ReaderTests
{
    private static List<string> Ids(byte[] bytes, int chunk = 1 << 20)
    {
        using var reader = new X12Reader(new TrickleStream(bytes, chunk));
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.Kind == X12RecordKind.Junk ? "<junk>" : Encoding.Latin1.GetString(reader.Segment.Id));
        }
        return ids;
    }

    [Fact]
    public void Read_StandardInterchange_ReturnsEverySegmentInOrder()
    {
        var ids = Ids(Fixtures.Bytes(Fixtures.Po850()));
        Assert.Equal("ISA GS ST BEG REF N1 N3 N4 PO1 PID PO1 CTT SE GE IEA", string.Join(" ", ids));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(105)]
    public void Read_StreamDeliveringFewBytesPerRead_SplitsTheSameSegments(int chunk)
    {
        var bytes = Fixtures.Bytes(Fixtures.Po850());
        Assert.Equal(Ids(bytes), Ids(bytes, chunk));
    }

    [Theory]
    [InlineData('$', '{', '|', '+')]
    [InlineData('|', '^', '~', '}')]
    [InlineData('*', '>', '\n', '^')]
    [InlineData('!', '@', '\'', '`')]
    public void Read_UnusualDelimiters_TakesThemFromTheIsa(char element, char component, char segment, char repetition)
    {
        var map = new Dictionary<char, char> { ['*'] = element, [':'] = component, ['~'] = segment, ['^'] = repetition };
        var text = new string(Fixtures.Po850(Fixtures.Isa5010, "005010").Select(c => map.GetValueOrDefault(c, c)).ToArray());
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(text)));
        Assert.True(reader.Read());
        Assert.Equal(new X12Delimiters((byte)element, (byte)component, (byte)segment, (byte)repetition), reader.Delimiters);
        while (reader.Read() && !reader.Segment.Is("PO1"u8))
        {
        }
        Assert.Equal("GLOVE-M", reader.Segment.GetElementText(7));
    }

    [Fact]
    public void Read_BomAndLineBreaks_FlagsThemAndKeepsThemInRecords()
    {
        var text = "\uFEFF" + Fixtures.Po850().Replace("~", "~\r\n");
        var bytes = Encoding.UTF8.GetBytes(text);
        using var reader = new X12Reader(new MemoryStream(bytes));
        var all = new List<byte>();
        var flags = X12RecordFlags.None;
        while (reader.Read())
        {
            flags |= reader.Flags;
            all.AddRange(reader.Record.ToArray());
        }
        Assert.True(flags.HasFlag(X12RecordFlags.ByteOrderMark));
        Assert.True(flags.HasFlag(X12RecordFlags.LineBreakAfterTerminator));
        Assert.Equal(bytes, all.ToArray());
    }

    [Fact]
    public void Read_IsaNotFixedWidth_FindsDelimitersByCounting()
    {
        var text = "ISA*00**00**ZZ*BUYER*ZZ*SUPPLIER*240131*1200*U*00401*1*0*P*>!GS*PO*B*S*20240131*1200*1*X*004010!";
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(text)));
        Assert.True(reader.Read());
        Assert.True(reader.Flags.HasFlag(X12RecordFlags.IsaNotFixedWidth));
        Assert.Equal((byte)'!', reader.Delimiters.Segment);
        Assert.Equal((byte)'>', reader.Delimiters.Component);
        Assert.True(reader.Read());
        Assert.Equal("GS", Encoding.Latin1.GetString(reader.Segment.Id));
    }

    [Fact]
    public void Read_StandardIsa_IsFixedWidth()
    {
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(Fixtures.Po850())));
        reader.Read();
        Assert.False(reader.Flags.HasFlag(X12RecordFlags.IsaNotFixedWidth));
        Assert.Equal(106, reader.Record.Length);
    }

    [Fact]
    public void Read_LineFeedTerminatorWithBlankLines_ReadsNoEmptySegments()
    {
        var text = Fixtures.Po850().Replace("*:~", "*:\n").Replace("~", "\n\n");
        Assert.DoesNotContain("", Ids(Fixtures.Bytes(text)));
        Assert.Equal(15, Ids(Fixtures.Bytes(text)).Count);
    }

    [Fact]
    public void Read_RepetitionSeparatorSameAsComponent_ReadsWithoutRepetition()
    {
        var text = Fixtures.Po850(Fixtures.Isa5010.Replace("*^*00501", "*:*00501"), "005010");
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(text)));
        Assert.True(reader.Read());
        Assert.Equal(X12RecordKind.Segment, reader.Kind);
        Assert.Equal(0, reader.Delimiters.Repetition);
        Assert.False(Fixtures.Validate(text).HasErrors);
    }

    [Fact]
    public void Read_IsaBefore00402_HasNoRepetitionSeparator()
    {
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(Fixtures.Po850())));
        reader.Read();
        Assert.Equal(0, reader.Delimiters.Repetition);
    }

    [Fact]
    public void Read_InputEndsInsideSegment_FlagsMissingTerminator()
    {
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(Fixtures.Isa4010 + "GS*PO*B")));
        reader.Read();
        Assert.True(reader.Read());
        Assert.True(reader.Flags.HasFlag(X12RecordFlags.MissingTerminator));
        Assert.Equal("GS*PO*B", reader.Segment.ToString());
        Assert.False(reader.Read());
    }

    [Fact]
    public void Read_SegmentLongerThanLimit_CutsAndFlagsIt()
    {
        var text = Fixtures.Isa4010 + "MSG*" + new string('x', 5000) + "~";
        using var reader = new X12Reader(new MemoryStream(Fixtures.Bytes(text)), maxSegmentLength: 1000);
        reader.Read();
        Assert.True(reader.Read());
        Assert.True(reader.Flags.HasFlag(X12RecordFlags.SegmentTooLong));
        Assert.Equal(1000, reader.Segment.Bytes.Length);
        var guard = 0;
        while (reader.Read() && guard++ < 100)
        {
        }
        Assert.True(guard < 100);
    }

    [Fact]
    public void Read_TextWithoutIsa_ReturnsJunkRecords()
    {
        Assert.Equal(["<junk>"], Ids(Fixtures.Bytes("hello, this is not EDI")));
    }

    [Theory]
    [InlineData("ISA*00*", true)]
    [InlineData("\uFEFFISA*00*", true)]
    [InlineData("\r\n\r\nISA|00|", true)]
    [InlineData("MSH|^~\\&|", false)]
    [InlineData("ISAAC*", false)]
    [InlineData("Scenario 1\r\n\r\nISA*00*", true)]
    [InlineData("the ISA*00 in prose", false)]
    [InlineData("IS", false)]
    [InlineData("", false)]
    public void LooksLikeX12_FileHead_DetectsInterchanges(string head, bool expected)
    {
        Assert.Equal(expected, X12Reader.LooksLikeX12(Encoding.UTF8.GetBytes(head)));
    }

    [Fact]
    public void LooksLikeX12_EveryCorpusFile_IsDetected()
    {
        Corpus.SkipWhenAbsent();
        foreach (var path in Directory.EnumerateFiles(Corpus.X12, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(X12Reader.LooksLikeX12(bytes.AsSpan(0, Math.Min(4096, bytes.Length))), path);
        }
    }

    [Fact]
    public void Segment_GetComponentAndElement_SliceWithoutCopy()
    {
        var segment = new X12Segment("SV1*HC:99211:25*12.25"u8, X12Delimiters.Default);
        Assert.Equal("99211", Encoding.Latin1.GetString(segment.GetComponent(1, 2)));
        Assert.Equal("12.25", segment.GetElementText(2));
        Assert.True(segment.GetElement(3).IsEmpty);
        Assert.Equal(2, segment.ElementCount);
    }
}
