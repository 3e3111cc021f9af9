using System.Text;
using CsCheck;

namespace Sinew.Hl7v2.Tests;

public sealed class RobustnessTests
{
    private static readonly Hl7ProfileSet Profiles = Hl7ProfileSet.LoadBuiltIn();

    private static readonly Gen<byte[]> HostileBytes =
        Gen.Frequency(
            (5, (IGen<byte>)Gen.OneOf("|^~\\&#\r\n \"X0123456789"u8.ToArray())),
            (3, (IGen<byte>)Gen.Byte[(byte)'A', (byte)'Z']),
            (1, (IGen<byte>)Gen.Byte))
        .Array[0, 300]
        .SelectMany(body => Gen.OneOf(
            Gen.Const(body),
            Gen.Const("MSH|^~\\&|"u8.ToArray().Concat(body).ToArray()),
            Gen.Const(new byte[] { 0xEF, 0xBB, 0xBF }.Concat("MSH"u8.ToArray()).Concat(body).ToArray()),
            Gen.Const("FHS|^~\\&\rBHS|^~\\&\rMSH|^~\\&|"u8.ToArray().Concat(body).ToArray())));

    [Fact]
    public void AnyBytes_ParseValidateAndAck_NeverThrow_AndParsedMessagesGiveTheBytesBack()
    {
        HostileBytes.Sample(bytes =>
        {
            var result = Hl7Message.Parse(bytes);
            if (result.Message is { } message)
            {
                Assert.Equal(bytes, message.ToArray());
                var issues = result.Issues.Concat(Hl7Validator.Validate(message, Profiles)).ToList();
                var ack = Hl7Message.Parse(AckBuilder.Build(message, AckBuilder.CodeFor(message, issues), issues));
                Assert.NotNull(ack.Message);
                var controlId = message.Get(Hl7Path.Parse("MSH-10")).Span.ToArray().Where(b => b is not (byte)'\r' and not (byte)'\n');
                Assert.Equal(controlId, ack.Message.Get(Hl7Path.Parse("MSA-2")).Span.ToArray());
            }
            else
            {
                Assert.True(result.HasErrors);
                Assert.NotNull(Hl7Message.Parse(AckBuilder.BuildForUnparsable(bytes, result.Issues)).Message);
            }
        }, iter: 3000);
    }

    [Fact]
    public void AnyBytes_BatchSplitAndStreamReader_CoverEveryByteInOrder()
    {
        HostileBytes.Sample(bytes =>
        {
            var batch = Hl7Batch.Parse(bytes);
            Assert.Equal(bytes, batch.Items.SelectMany(i => i.Bytes.ToArray()).ToArray());

            using var reader = new Hl7BatchReader(new TrickleStream(bytes, 5));
            var streamed = new List<byte>();
            while (reader.Read() is { } item)
            {
                streamed.AddRange(item.Bytes.ToArray());
            }
            Assert.Equal(bytes, streamed.ToArray());
        }, iter: 2000);
    }

    [Fact]
    public void Get_ReadingFieldsOfAParsedMessage_AllocatesNothing()
    {
        var message = Hl7Message.Parse(Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPID|1||123^^^H^MR~456||DOE^JOHN\r")).Message!;
        var paths = new[] { Hl7Path.Parse("MSH-9"), Hl7Path.Parse("PID-3[2].1"), Hl7Path.Parse("PID-5.1"), Hl7Path.Parse("OBX-5") };
        var total = 0;
        for (var i = 0; i < 10; i++)
        {
            foreach (var path in paths)
            {
                total += message.Get(path).Span.Length;
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                total += message.Get(paths[p]).Span.Length;
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    [Fact]
    public void Parse_AllocatesOnlyTheMessageAndItsSegmentIndex()
    {
        var bytes = Encoding.ASCII.GetBytes("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\r" + string.Concat(Enumerable.Range(1, 50).Select(i => $"OBX|{i}|NM|GLU||5.{i}|mmol/L|||||F\r")));
        _ = Hl7Message.Parse(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Hl7Message.Parse(bytes).Message!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Budget: the message, its result, and 12 bytes per segment in the index (16 with list slack); nothing per field.
        Assert.True(allocated <= 256 + (16 * (message.SegmentCount + 1)), $"parse allocated {allocated} bytes for {message.SegmentCount} segments");
    }
}
