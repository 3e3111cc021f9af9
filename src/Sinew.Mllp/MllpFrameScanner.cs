using System.Buffers;

namespace Sinew.Mllp;

/// <summary>What <see cref="MllpFrameScanner.TryRead"/> found in the buffer.</summary>
internal enum MllpScanStatus
{
    NeedMoreData,
    Frame,
    TooLarge,
}

/// <summary>
/// Finds MLLP frames in a growing buffer without rescanning bytes already searched,
/// skipping bytes outside a frame (counted as garbage). A frame ends at FS; the CR that
/// follows is consumed when present, so senders that omit it are still answered.
/// </summary>
internal struct MllpFrameScanner
{
    private long _scanned;
    private bool _swallowCarriageReturn;

    /// <summary>True once a start block has been seen and its end block has not.</summary>
    public bool InFrame { get; private set; }

    /// <summary>
    /// Reads at most one frame from <paramref name="buffer"/>, which is advanced past what was consumed.
    /// On <see cref="MllpScanStatus.Frame"/>, <paramref name="payload"/> is the frame content between the delimiters.
    /// On <see cref="MllpScanStatus.TooLarge"/>, <paramref name="payload"/> is the start of the oversized frame.
    /// </summary>
    public MllpScanStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> payload, out long garbage)
    {
        payload = default;
        garbage = 0;
        if (buffer.IsEmpty)
        {
            return MllpScanStatus.NeedMoreData;
        }

        if (_swallowCarriageReturn)
        {
            _swallowCarriageReturn = false;
            if (buffer.FirstSpan[0] == MllpFraming.CarriageReturn)
            {
                buffer = buffer.Slice(1);
            }
        }

        if (!InFrame)
        {
            var start = buffer.PositionOf(MllpFraming.StartBlock);
            if (start is null)
            {
                garbage = buffer.Length;
                buffer = buffer.Slice(buffer.End);
                return MllpScanStatus.NeedMoreData;
            }

            garbage = buffer.Slice(0, start.Value).Length;
            buffer = buffer.Slice(start.Value);
            InFrame = true;
            _scanned = 1;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(_scanned);
        if (!reader.TryAdvanceTo(MllpFraming.EndBlock, advancePastDelimiter: false))
        {
            _scanned = buffer.Length;
            if (buffer.Length - 1 > maxFrameBytes)
            {
                payload = buffer.Slice(1, maxFrameBytes);
                return MllpScanStatus.TooLarge;
            }

            return MllpScanStatus.NeedMoreData;
        }

        var payloadLength = reader.Consumed - 1;
        if (payloadLength > maxFrameBytes)
        {
            payload = buffer.Slice(1, maxFrameBytes);
            return MllpScanStatus.TooLarge;
        }

        payload = buffer.Slice(1, payloadLength);
        reader.Advance(1);
        if (reader.TryPeek(out var next))
        {
            if (next == MllpFraming.CarriageReturn)
            {
                reader.Advance(1);
            }
        }
        else
        {
            _swallowCarriageReturn = true;
        }

        buffer = buffer.Slice(reader.Position);
        InFrame = false;
        _scanned = 0;
        return MllpScanStatus.Frame;
    }
}
