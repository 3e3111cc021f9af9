using System.Text;
using CsCheck;

namespace Sinew.X12.Tests;

public sealed class BuilderTests
{
    private static readonly X12InterchangeHeader Header = new()
    {
        SenderQualifier = "ZZ", SenderId = "SINEW", ReceiverQualifier = "ZZ", ReceiverId = "SUPPLIER",
        ControlNumber = 42, Version = "00401", Timestamp = new DateTime(2024, 1, 31, 12, 0, 0),
    };

    [Fact]
    public void Build_PurchaseOrder_ComputesCountsAndControlNumbers()
    {
        var bytes = new X12InterchangeBuilder(Header)
            .BeginGroup("PO", "SINEW", "SUPPLIER", 7, "004010")
            .BeginSet("850", "0001")
            .Segment("BEG", "00", "SA", "PO-1", "", "20240131")
            .Segment("PO1", "1", "3", "EA", "1.5", "", "VN", "X-1")
            .Segment("CTT", "1")
            .EndSet()
            .EndGroup()
            .ToArray();
        var text = Encoding.Latin1.GetString(bytes);
        Assert.Equal(106, text.IndexOf("GS*", StringComparison.Ordinal));
        Assert.EndsWith("CTT*1~SE*5*0001~GE*1*7~IEA*1*000000042~", text);
        var result = new X12Validator().Validate(bytes);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Fact]
    public void Build_TrailingEmptyElements_AreDropped()
    {
        var text = Encoding.Latin1.GetString(new X12InterchangeBuilder(Header).BeginGroup("PO", "A", "B", 1, "004010").BeginSet("850", "0001")
            .Segment("REF", "DP", "", "").EndSet().EndGroup().ToArray());
        Assert.Contains("~REF*DP~", text);
    }

    [Fact]
    public void Build_SetInsideNoGroup_IsAProgrammingError()
    {
        Assert.Throws<InvalidOperationException>(() => new X12InterchangeBuilder(Header).BeginSet("850", "0001"));
    }

    // Delimiter bytes a partner may choose: punctuation only, never letters, digits or space.
    private static readonly Gen<X12Delimiters> GenDelimiters =
        Gen.Shuffle("~*:^$|{}+!@`'><&#%\\".ToCharArray()).Select(c => new X12Delimiters((byte)c[0], (byte)c[1], (byte)c[2], (byte)c[3]));

    private static Gen<string[]> GenSegment(string alphabet) =>
        Gen.String[Gen.Char[alphabet], 0, 12].Array[1, 8];

    [Fact]
    public void Build_RandomInterchangesWithRandomDelimiters_RoundTripByteIdenticalAndKeepElements()
    {
        var gen = Gen.Select(GenDelimiters, GenSegment("ABCXYZ0123456789 .-/()").Array[1, 20], Gen.Int[1, 3], Gen.Bool);
        gen.Sample((delimiters, segments, sets, lineBreaks) =>
        {
            var builder = new X12InterchangeBuilder(Header with { Version = "00501" }, delimiters, lineBreaks ? "\r\n" : "");
            builder.BeginGroup("PO", "A", "B", 1, "005010");
            for (var s = 1; s <= sets; s++)
            {
                builder.BeginSet("850", s.ToString("D4"));
                foreach (var elements in segments)
                {
                    builder.Segment("N9", elements);
                }
                builder.EndSet();
            }
            var bytes = builder.EndGroup().ToArray();

            Assert.Equal(bytes, X12Roundtrip.Reserialize(bytes));
            using var reader = new X12TransactionSetReader(new MemoryStream(bytes));
            var set = reader.ReadNext()!;
            Assert.Equal(delimiters, set.Delimiters);
            for (var i = 0; i < segments.Length; i++)
            {
                var expected = segments[i].AsSpan(0, LastNonEmpty(segments[i]));
                var segment = set[i + 1];
                Assert.Equal(expected.Length, segment.ElementCount);
                for (var e = 0; e < expected.Length; e++)
                {
                    Assert.Equal(expected[e], segment.GetElementText(e + 1));
                }
            }
            var envelope = new X12Validator(new X12ValidationOptions { ValidateStructure = false }).Validate(bytes);
            Assert.False(envelope.HasErrors, string.Join("\n", envelope.Issues));
        }, iter: 300);
    }

    [Fact]
    public void Validate_RandomlyCorruptedInterchange_NeverThrowsAndStillRoundTrips()
    {
        var original = Fixtures.Bytes(Fixtures.Po850(Fixtures.Isa5010, "005010"));
        var gen = Gen.Select(Gen.Int[0, original.Length - 1].Array[1, 12], Gen.Byte.Array[12]);
        gen.Sample((positions, values) =>
        {
            var bytes = (byte[])original.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i]] = values[i];
            }
            new X12Validator().Validate(bytes);
            Assert.Equal(bytes, X12Roundtrip.Reserialize(bytes));
        }, iter: 2000);
    }

    private static int LastNonEmpty(string[] elements)
    {
        var n = elements.Length;
        while (n > 0 && elements[n - 1].Length == 0)
        {
            n--;
        }
        return n;
    }
}
