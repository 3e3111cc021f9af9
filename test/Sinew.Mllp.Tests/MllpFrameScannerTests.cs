using System.Buffers;
using System.Text;

namespace Sinew.Mllp.Tests;

public sealed class MllpFrameScannerTests
{
    [Fact]
    public void TryRead_FrameSplitAcrossSegments_ReturnsWholePayload()
    {
        var buffer = Segments("\vMSH|a", "bc|de", "f\u001c\r");
        var scanner = new MllpFrameScanner();

        var status = scanner.TryRead(ref buffer, 1024, out var payload, out var garbage);

        Assert.Equal(MllpScanStatus.Frame, status);
        Assert.Equal("MSH|abc|def", Encoding.ASCII.GetString(payload.ToArray()));
        Assert.Equal(0, garbage);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryRead_BytesBeforeStartBlock_CountedAsGarbageAndSkipped()
    {
        var buffer = Segments("\r\nxx\vA\u001c\r");
        var scanner = new MllpFrameScanner();

        var status = scanner.TryRead(ref buffer, 1024, out var payload, out var garbage);

        Assert.Equal(MllpScanStatus.Frame, status);
        Assert.Equal("A", Encoding.ASCII.GetString(payload.ToArray()));
        Assert.Equal(4, garbage);
    }

    [Fact]
    public void TryRead_IncompleteFrame_NeedsMoreDataAndKeepsStart()
    {
        var buffer = Segments("\vMSH|abc");
        var scanner = new MllpFrameScanner();

        var status = scanner.TryRead(ref buffer, 1024, out _, out _);

        Assert.Equal(MllpScanStatus.NeedMoreData, status);
        Assert.True(scanner.InFrame);
        Assert.Equal(8, buffer.Length);
    }

    [Fact]
    public void TryRead_FrameLongerThanLimit_ReportsTooLargeBeforeEndBlock()
    {
        var buffer = Segments("\v" + new string('x', 20));
        var scanner = new MllpFrameScanner();

        var status = scanner.TryRead(ref buffer, 10, out var partial, out _);

        Assert.Equal(MllpScanStatus.TooLarge, status);
        Assert.Equal(10, partial.Length);
    }

    [Fact]
    public void TryRead_EndBlockWithoutCarriageReturnAtBufferEnd_CompletesAndSwallowsLateCarriageReturn()
    {
        var scanner = new MllpFrameScanner();
        var first = Segments("\vA\u001c");
        Assert.Equal(MllpScanStatus.Frame, scanner.TryRead(ref first, 1024, out _, out _));

        var second = Segments("\r\vB\u001c\r");
        var status = scanner.TryRead(ref second, 1024, out var payload, out var garbage);

        Assert.Equal(MllpScanStatus.Frame, status);
        Assert.Equal("B", Encoding.ASCII.GetString(payload.ToArray()));
        Assert.Equal(0, garbage);
    }

    [Fact]
    public void TryRead_TwoFramesInOneBuffer_ReturnsThemInOrder()
    {
        var buffer = Segments("\vA\u001c\r\vB\u001c\r");
        var scanner = new MllpFrameScanner();

        Assert.Equal(MllpScanStatus.Frame, scanner.TryRead(ref buffer, 1024, out var first, out _));
        var firstText = Encoding.ASCII.GetString(first.ToArray());
        Assert.Equal(MllpScanStatus.Frame, scanner.TryRead(ref buffer, 1024, out var second, out _));

        Assert.Equal("A", firstText);
        Assert.Equal("B", Encoding.ASCII.GetString(second.ToArray()));
    }

    [Fact]
    public void Write_Payload_WrapsInStartAndEndBlocks()
    {
        var writer = new ArrayBufferWriter<byte>();

        MllpFraming.Write(writer, "MSH|x"u8);

        Assert.Equal("\vMSH|x\u001c\r"u8.ToArray(), writer.WrittenSpan.ToArray());
    }

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        var first = new Segment(Encoding.ASCII.GetBytes(parts[0]), 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(Encoding.ASCII.GetBytes(part));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
