using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class BatchTests
{
    private const string Message1 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\rPID|1||1||A^B\r";
    private const string Message2 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A08|2|P|2.5.1\rPID|1||2||C^D\r";
    private const string File = "FHS|^~\\&|A|B\rBHS|^~\\&|A|B\r" + Message1 + Message2 + "BTS|2\rFTS|1\r";

    [Fact]
    public void Parse_BatchFile_SplitsEnvelopeAndMessages_AndRebuildsTheBytes()
    {
        var bytes = Encoding.ASCII.GetBytes(File);

        var batch = Hl7Batch.Parse(bytes);

        Assert.Equal(
            [Hl7BatchItemKind.FileHeader, Hl7BatchItemKind.BatchHeader, Hl7BatchItemKind.Message, Hl7BatchItemKind.Message, Hl7BatchItemKind.BatchTrailer, Hl7BatchItemKind.FileTrailer],
            batch.Items.Select(i => i.Kind));
        Assert.Equal(2, batch.MessageCount);
        Assert.Empty(batch.Issues);
        Assert.Equal("ADT^A08", batch.Items[3].Parse().Message!.MessageType);
        Assert.Equal(bytes, batch.Items.SelectMany(i => i.Bytes.ToArray()).ToArray());
    }

    [Theory]
    [InlineData("BTS|3\rFTS|1\r", Hl7IssueCode.BatchCountMismatch)]
    [InlineData("BTS|2\rFTS|5\r", Hl7IssueCode.BatchCountMismatch)]
    [InlineData("BTS|2\r", Hl7IssueCode.BatchEnvelopeError)]
    public void Parse_TrailerCountsThatDoNotMatch_AreReported(string trailers, Hl7IssueCode expected)
    {
        var text = "FHS|^~\\&|A|B\rBHS|^~\\&|A|B\r" + Message1 + Message2 + trailers;

        var batch = Hl7Batch.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Contains(batch.Issues, i => i.Code == expected);
    }

    [Fact]
    public async Task Reader_LargeStream_YieldsOneMessageAtATimeWithBoundedBuffer()
    {
        const int count = 20_000;
        var one = Encoding.ASCII.GetBytes(Message1.Replace("\r", "\n", StringComparison.Ordinal));
        var stream = new RepeatingStream(one, count);

        using var reader = new Hl7BatchReader(stream);
        var seen = 0;
        long offset = 0;
        await foreach (var item in reader.ReadAllAsync(CancellationToken.None))
        {
            Assert.Equal(Hl7BatchItemKind.Message, item.Kind);
            Assert.Equal(offset, item.Offset);
            Assert.Equal(one, item.Bytes.ToArray());
            offset += item.Bytes.Length;
            seen++;
        }

        Assert.Equal(count, seen);
        Assert.True(stream.MaxRequested <= 128 * 1024, $"reader asked for {stream.MaxRequested} bytes at once");
    }

    [Fact]
    public void Reader_MessageLargerThanTheLimit_IsCutAndStillCoversEveryByte()
    {
        var big = "MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\rOBX|1|TX|||" + new string('x', 5000) + "\r";
        var bytes = Encoding.ASCII.GetBytes(big + Message1);

        using var reader = new Hl7BatchReader(new MemoryStream(bytes), maxItemBytes: 1024);
        var total = 0;
        while (reader.Read() is { } item)
        {
            Assert.True(item.Bytes.Length <= 1024 || item.Kind == Hl7BatchItemKind.Message);
            total += item.Bytes.Length;
        }

        Assert.Equal(bytes.Length, total);
    }

    [Fact]
    public void Reader_OneLargeMessageInSmallReads_ComesOutWhole()
    {
        var obx = Encoding.ASCII.GetBytes("OBX|1|TX|||" + new string('x', 200) + "\r");
        var stream = new RepeatingStream(obx, 20_000, prefix: Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\r"), maxRead: 4096);

        using var reader = new Hl7BatchReader(stream);
        var item = reader.Read();

        Assert.NotNull(item);
        Assert.Equal(stream.Length, item.Bytes.Length);
        Assert.Null(reader.Read());
    }

    private sealed class RepeatingStream(byte[] unit, int times, byte[]? prefix = null, int maxRead = int.MaxValue) : Stream
    {
        private readonly byte[] head = prefix ?? [];
        private long position;

        public int MaxRequested { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => head.Length + ((long)unit.Length * times);
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            MaxRequested = Math.Max(MaxRequested, count);
            count = Math.Min(count, maxRead);
            var n = 0;
            while (n < count && position < Length)
            {
                buffer[offset + n++] = position < head.Length ? head[position] : unit[(position - head.Length) % unit.Length];
                position++;
            }
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
