using System.Buffers;

namespace Sinew.X12;

/// <summary>Asynchronous reading: fill the buffer with awaited reads until a whole record is there, then read it synchronously.</summary>
public sealed partial class X12Reader
{
    /// <summary>
    /// Advances to the next record, reading from the stream asynchronously until a whole record is buffered,
    /// so network streams are never read synchronously on the common path.
    /// </summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (!_eof && !HasBufferedRecord())
        {
            await FillAsync(cancellationToken);
        }
        return Read();
    }

    // True when the next record and the first byte after its trailing line breaks are in the buffer, so Read needs no I/O.
    private bool HasBufferedRecord()
    {
        var unread = _buffer.AsSpan(_recordEnd, _dataEnd - _recordEnd);
        var trivia = 0;
        while (trivia < unread.Length && (IsTrivia(unread[trivia]) || IsBlankLine(unread[trivia]) || (_atStart && unread[trivia] is 0xEF or 0xBB or 0xBF)))
        {
            trivia++;
        }
        var body = unread[trivia..];
        if (!HasDelimiters || body.Length < 4 || body.StartsWith("ISA"u8))
        {
            return body.Length >= JunkChunk + IsaScanLimit;
        }
        var terminator = body.IndexOf(Delimiters.Segment);
        if (terminator < 0)
        {
            return body.Length > _maxSegmentLength;
        }
        for (var i = terminator + 1; i < body.Length; i++)
        {
            if (!IsTrivia(body[i]) && !IsBlankLine(body[i]))
            {
                return true;
            }
        }
        return false;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_recordEnd > 0)
        {
            var kept = _dataEnd - _recordEnd;
            Buffer.BlockCopy(_buffer, _recordEnd, _buffer, 0, kept);
            _bufferOffset += _recordEnd;
            _dataEnd = kept;
            _recordStart = _contentStart = _contentEnd = _recordEnd = 0;
        }
        if (_dataEnd == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _dataEnd);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_dataEnd), cancellationToken);
        if (read <= 0)
        {
            _eof = true;
            return;
        }
        _dataEnd += read;
    }
}
