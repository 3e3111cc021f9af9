using System.Buffers;
using System.Text;

namespace Sinew.X12;

/// <summary>Streams the transaction sets of a file one at a time, with the envelope they came in; memory is bounded by the largest set.</summary>
public sealed class X12TransactionSetReader : IDisposable
{
    private readonly X12Reader _reader;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly List<(int Start, int Length)> _segments = [];
    private bool _inSet;

    /// <summary>Reads from a stream; disposes it unless <paramref name="leaveOpen"/> is set.</summary>
    public X12TransactionSetReader(Stream stream, bool leaveOpen = false) => _reader = new X12Reader(stream, leaveOpen);

    /// <summary>ISA13 of the interchange the last set came in.</summary>
    public string InterchangeControlNumber { get; private set; } = "";

    /// <summary>GS06 of the group the last set came in.</summary>
    public string GroupControlNumber { get; private set; } = "";

    /// <summary>GS08 of the group the last set came in.</summary>
    public string GroupVersion { get; private set; } = "";

    /// <summary>GS01 of the group the last set came in.</summary>
    public string FunctionalIdCode { get; private set; } = "";

    /// <summary>The next transaction set, or null at the end of the input. A set cut short by the end of the input is returned as is.</summary>
    public X12TransactionSet? ReadNext()
    {
        _inSet = false;
        while (_reader.Read())
        {
            if (Accept() is { } set)
            {
                return set;
            }
        }
        return _inSet ? Take() : null;
    }

    /// <summary>The next transaction set read asynchronously, or null at the end of the input.</summary>
    public async ValueTask<X12TransactionSet?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        _inSet = false;
        while (await _reader.ReadAsync(cancellationToken))
        {
            if (Accept() is { } set)
            {
                return set;
            }
        }
        return _inSet ? Take() : null;
    }

    // Takes the current record into the set being collected; returns the set when its SE arrives.
    private X12TransactionSet? Accept()
    {
        if (_reader.Kind != X12RecordKind.Segment)
        {
            return null;
        }
        var segment = _reader.Segment;
        var key = segment.IdKey;
        if (!_inSet)
        {
            if (key == X12SegmentId.Isa)
            {
                InterchangeControlNumber = Encoding.Latin1.GetString(segment.GetElement(13));
            }
            else if (key == X12SegmentId.Gs)
            {
                FunctionalIdCode = segment.GetElementText(1);
                GroupControlNumber = segment.GetElementText(6);
                GroupVersion = segment.GetElementText(8);
            }
            else if (key == X12SegmentId.St)
            {
                _inSet = true;
                _buffer.ResetWrittenCount();
                _segments.Clear();
                Append(segment);
            }
            return null;
        }
        Append(segment);
        return key == X12SegmentId.Se ? Take() : null;
    }

    /// <summary>Disposes the underlying reader.</summary>
    public void Dispose() => _reader.Dispose();

    private void Append(X12Segment segment)
    {
        _segments.Add((_buffer.WrittenCount, segment.Bytes.Length));
        _buffer.Write(segment.Bytes);
    }

    private X12TransactionSet Take() => new(_buffer.WrittenSpan.ToArray(), [.. _segments], _reader.Delimiters);
}
