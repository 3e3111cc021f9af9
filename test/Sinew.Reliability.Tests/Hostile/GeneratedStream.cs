using System.Text;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>A non-seekable stream of <paramref name="length"/> bytes made on the fly (head, then a repeated unit), so a test can send 100 MB without holding it; sent chunked, with no Content-Length.</summary>
internal sealed class GeneratedStream(long length, string head, string unit) : Stream
{
    private readonly byte[] _head = Encoding.UTF8.GetBytes(head);
    private readonly byte[] _unit = Encoding.UTF8.GetBytes(unit);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        for (var i = 0; i < n; i++, _position++)
        {
            buffer[offset + i] = _position < _head.Length ? _head[_position] : _unit[(_position - _head.Length) % _unit.Length];
        }
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
