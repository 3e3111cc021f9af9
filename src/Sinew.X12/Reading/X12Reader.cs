using System.Buffers;

namespace Sinew.X12;

/// <summary>
/// Reads an X12 stream one record (segment with its terminator and trailing line breaks) at a time over a pooled buffer,
/// so memory stays bounded by the longest segment whatever the size of the input.
/// Every input byte belongs to exactly one record, which makes the concatenation of <see cref="Record"/> the original bytes.
/// </summary>
public sealed partial class X12Reader : IDisposable
{
    /// <summary>Segments longer than this are cut and flagged, so a file without terminators cannot exhaust memory.</summary>
    public const int DefaultMaxSegmentLength = 1 << 20;

    private const int InitialBufferSize = 1 << 16;
    private const int JunkChunk = 1 << 16;
    private const int IsaScanLimit = 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxSegmentLength;
    private byte[] _buffer;
    private int _dataEnd;
    private int _recordStart;
    private int _contentStart;
    private int _contentEnd;
    private int _recordEnd;
    private long _bufferOffset;
    private bool _eof;
    private bool _atStart = true;

    /// <summary>Reads from <paramref name="stream"/>; the reader disposes it unless <paramref name="leaveOpen"/> is set.</summary>
    public X12Reader(Stream stream, bool leaveOpen = false, int maxSegmentLength = DefaultMaxSegmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentLength, 128);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxSegmentLength = maxSegmentLength;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>The delimiters of the current interchange (set by the last ISA read).</summary>
    public X12Delimiters Delimiters { get; private set; }

    /// <summary>True once an ISA has been read and segments can be split.</summary>
    public bool HasDelimiters { get; private set; }

    /// <summary>What the current record holds.</summary>
    public X12RecordKind Kind { get; private set; }

    /// <summary>Oddities tolerated while reading the current record.</summary>
    public X12RecordFlags Flags { get; private set; }

    /// <summary>The current segment (valid until the next <see cref="Read"/>); empty for junk records.</summary>
    public X12Segment Segment => new(_buffer.AsSpan(_contentStart, _contentEnd - _contentStart), Delimiters);

    /// <summary>All bytes of the current record: leading BOM or junk, the segment, its terminator and trailing line breaks.</summary>
    public ReadOnlySpan<byte> Record => _buffer.AsSpan(_recordStart, _recordEnd - _recordStart);

    /// <summary>Offset in the stream of the first byte of the current segment.</summary>
    public long SegmentOffset => _bufferOffset + _contentStart;

    /// <summary>Bytes consumed so far, including the current record.</summary>
    public long BytesConsumed => _bufferOffset + _recordEnd;

    /// <summary>Advances to the next record; false at the end of the input.</summary>
    public bool Read()
    {
        _recordStart = _recordEnd;
        Flags = X12RecordFlags.None;
        if (HasDelimiters && !_atStart && TryReadBufferedSegment())
        {
            return true;
        }
        if (!EnsureAvailable(1))
        {
            _contentStart = _contentEnd = _recordEnd = _recordStart;
            return false;
        }
        var p = 0;
        if (_atStart)
        {
            _atStart = false;
            if (EnsureAvailable(3) && At(0) == 0xEF && At(1) == 0xBB && At(2) == 0xBF)
            {
                p = 3;
                Flags |= X12RecordFlags.ByteOrderMark;
            }
        }
        while (EnsureAvailable(p + 1) && (IsTrivia(At(p)) || IsBlankLine(At(p))))
        {
            p++;
        }
        if (!EnsureAvailable(p + 1))
        {
            SetRecord(X12RecordKind.Junk, p, p, p);
            return true;
        }
        if (EnsureAvailable(p + 4) && At(p) == 'I' && At(p + 1) == 'S' && At(p + 2) == 'A' && !X12Delimiters.IsAlphanumeric(At(p + 3)))
        {
            if (TryReadIsa(p))
            {
                return true;
            }
            Flags |= X12RecordFlags.UnreadableIsa;
            HasDelimiters = false;
        }
        if (!HasDelimiters)
        {
            ReadJunk(p);
            return true;
        }
        ReadSegment(p);
        return true;
    }

    /// <summary>
    /// The common record, read without a call per byte: a segment that starts at the record start (no leading blank or
    /// line break), is not an ISA, and whose terminator and trailing line breaks all lie in the buffered data. Gives the
    /// same record and flags as the general path below; returns false, having changed nothing, for anything else
    /// (including when more input would have to be read), and the general path takes over.
    /// </summary>
    private bool TryReadBufferedSegment()
    {
        var data = _buffer.AsSpan(_recordStart, _dataEnd - _recordStart);
        if (data.Length < 4)
        {
            return false;
        }
        var d = Delimiters;
        var b0 = data[0];
        if (IsTrivia(b0, d) || (b0 == d.Segment && b0 is (byte)'\r' or (byte)'\n'))
        {
            return false;
        }
        if (b0 == 'I' && data[1] == 'S' && data[2] == 'A' && !X12Delimiters.IsAlphanumeric(data[3]))
        {
            return false;
        }
        var contentEnd = data.IndexOf(d.Segment);
        if (contentEnd < 0 || contentEnd > _maxSegmentLength)
        {
            return false;
        }
        var flags = X12RecordFlags.None;
        var q = contentEnd + 1;
        while (true)
        {
            if (q == data.Length)
            {
                // Trailing line breaks may go on in input not read yet.
                return false;
            }
            var b = data[q];
            if (!IsTrivia(b, d) && !(b == d.Segment && b is (byte)'\r' or (byte)'\n'))
            {
                break;
            }
            flags |= b is (byte)'\r' or (byte)'\n' ? X12RecordFlags.LineBreakAfterTerminator : X12RecordFlags.WhitespaceAfterTerminator;
            q++;
        }
        Flags = flags;
        SetRecord(X12RecordKind.Segment, 0, contentEnd, q);
        if (contentEnd >= 4 && b0 == 'I' && data[1] == 'E' && data[2] == 'A' && data[3] == d.Element)
        {
            HasDelimiters = false;
        }
        return true;
    }

    // IsTrivia once delimiters are known, on a local copy of them.
    private static bool IsTrivia(byte b, X12Delimiters d) =>
        b is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t' && b != d.Element && b != d.Component && b != d.Repetition && b != d.Segment;

    /// <summary>Returns the pooled buffer and disposes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private byte At(int relative) => _buffer[_recordStart + relative];

    private bool IsTrivia(byte b)
    {
        if (b is not ((byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t'))
        {
            return false;
        }
        if (HasDelimiters)
        {
            var d = Delimiters;
            return b != d.Element && b != d.Component && b != d.Repetition && b != d.Segment;
        }
        return true;
    }

    // With CR or LF as the terminator, a second one right after is a blank line, not an empty segment.
    private bool IsBlankLine(byte b) => HasDelimiters && b == Delimiters.Segment && b is (byte)'\r' or (byte)'\n';

    private void SetRecord(X12RecordKind kind, int contentStart, int contentEnd, int recordEnd)
    {
        Kind = kind;
        _contentStart = _recordStart + contentStart;
        _contentEnd = _recordStart + contentEnd;
        _recordEnd = _recordStart + recordEnd;
    }

    private void ReadSegment(int p)
    {
        var terminator = Delimiters.Segment;
        var searchFrom = p;
        int contentEnd, recordEnd;
        while (true)
        {
            var found = _buffer.AsSpan(_recordStart + searchFrom, _dataEnd - _recordStart - searchFrom).IndexOf(terminator);
            if (found >= 0)
            {
                contentEnd = searchFrom + found;
                if (contentEnd - p > _maxSegmentLength)
                {
                    contentEnd = recordEnd = p + _maxSegmentLength;
                    Flags |= X12RecordFlags.SegmentTooLong;
                    break;
                }
                recordEnd = contentEnd + 1;
                break;
            }
            var available = _dataEnd - _recordStart;
            if (available - p >= _maxSegmentLength)
            {
                contentEnd = recordEnd = p + _maxSegmentLength;
                Flags |= X12RecordFlags.SegmentTooLong;
                break;
            }
            searchFrom = available;
            if (!EnsureAvailable(available + 1))
            {
                contentEnd = recordEnd = available;
                Flags |= X12RecordFlags.MissingTerminator;
                break;
            }
        }
        recordEnd = ReadTrailingTrivia(recordEnd);
        SetRecord(X12RecordKind.Segment, p, contentEnd, recordEnd);
        if (contentEnd - p >= 4 && At(p) == 'I' && At(p + 1) == 'E' && At(p + 2) == 'A' && At(p + 3) == Delimiters.Element)
        {
            // After the interchange trailer only another ISA is X12; anything else is junk up to the next ISA.
            HasDelimiters = false;
        }
    }

    private int ReadTrailingTrivia(int q)
    {
        while (EnsureAvailable(q + 1))
        {
            var b = At(q);
            if (!IsTrivia(b) && !IsBlankLine(b))
            {
                break;
            }
            Flags |= b is (byte)'\r' or (byte)'\n' ? X12RecordFlags.LineBreakAfterTerminator : X12RecordFlags.WhitespaceAfterTerminator;
            q++;
        }
        return q;
    }

    private bool TryReadIsa(int p)
    {
        EnsureAvailable(p + 108);
        var element = At(p + 3);
        var separators = 0;
        var q = p + 3;
        while (separators < 16)
        {
            if (q - p > IsaScanLimit || !EnsureAvailable(q + 1))
            {
                return false;
            }
            if (At(q) == element)
            {
                separators++;
            }
            q++;
        }
        if (!EnsureAvailable(q + 2))
        {
            return false;
        }
        var component = At(q);
        var terminator = At(q + 1);
        var isa = new X12Segment(_buffer.AsSpan(_recordStart + p, q + 1 - p), new X12Delimiters(element, component, terminator, 0));
        var isa11 = isa.GetElement(11);
        var repetition = isa11.Length == 1 && !X12Delimiters.IsAlphanumeric(isa11[0]) && isa11[0] != (byte)' ' ? isa11[0] : (byte)0;
        if (repetition == element || repetition == component || repetition == terminator)
        {
            // A repetition separator that clashes with another delimiter cannot be honoured; read without one.
            repetition = 0;
        }
        var delimiters = new X12Delimiters(element, component, terminator, repetition);
        if (!delimiters.AreValid)
        {
            return false;
        }
        Delimiters = delimiters;
        HasDelimiters = true;
        Flags |= X12RecordFlags.NewDelimiters;
        if (q - p != 104)
        {
            Flags |= X12RecordFlags.IsaNotFixedWidth;
        }
        var recordEnd = ReadTrailingTrivia(q + 2);
        SetRecord(X12RecordKind.Segment, p, q + 1, recordEnd);
        return true;
    }

    private void ReadJunk(int p)
    {
        EnsureAvailable(Math.Max(p + 1, JunkChunk));
        var available = _dataEnd - _recordStart;
        var window = _buffer.AsSpan(_recordStart + p + 1, available - p - 1);
        var next = window.IndexOf("ISA"u8);
        int end;
        if (next >= 0)
        {
            end = p + 1 + next;
        }
        else
        {
            // Keep two bytes back so an "ISA" split across reads is still found next time.
            end = _eof ? available : Math.Max(p + 1, available - 2);
        }
        SetRecord(X12RecordKind.Junk, p, end, end);
    }

    private bool EnsureAvailable(int count)
    {
        if (_recordStart + count <= _dataEnd)
        {
            return true;
        }
        if (_eof)
        {
            return false;
        }
        if (_recordStart > 0)
        {
            var kept = _dataEnd - _recordStart;
            Buffer.BlockCopy(_buffer, _recordStart, _buffer, 0, kept);
            _bufferOffset += _recordStart;
            _dataEnd = kept;
            _recordStart = 0;
        }
        if (count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(count, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _dataEnd);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        while (_dataEnd < count)
        {
            var read = _stream.Read(_buffer, _dataEnd, _buffer.Length - _dataEnd);
            if (read <= 0)
            {
                _eof = true;
                return false;
            }
            _dataEnd += read;
        }
        return true;
    }
}
