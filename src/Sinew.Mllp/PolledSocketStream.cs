using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Sinew.Mllp;

/// <summary>
/// A plain-TCP connection's socket served by <see cref="MllpPoller"/>: a read that finds no data waits on the poller and
/// completes on its thread, continuing the connection's code there; writes are non-blocking sends, and only a write the
/// peer does not take at once (its window full) waits through .NET's own socket engine.
/// </summary>
internal sealed class PolledSocketStream : Stream, IValueTaskSource<int>
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Receiving = 2;

    private readonly Socket _socket;
    private readonly MllpPoller _poller;
    private readonly long _key;
    private readonly int _epoll;
    private ManualResetValueTaskSourceCore<int> _read; // continuations run where the read completes: the poller thread
    private Memory<byte> _buffer;
    private CancellationToken _readToken;
    private CancellationTokenRegistration _readCancel;
    private int _state;
    private bool _added;
    private bool _disposed;

    public PolledSocketStream(Socket socket, MllpPoller poller)
    {
        _socket = socket;
        _socket.Blocking = false;
        _poller = poller;
        (_key, _epoll) = poller.Add(this);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        var received = _socket.Receive(buffer.Span, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            return new ValueTask<int>(received);
        }

        if (error != SocketError.WouldBlock)
        {
            return ValueTask.FromException<int>(new SocketException((int)error));
        }

        _read.Reset();
        _buffer = buffer;
        _readToken = cancellationToken;
        Volatile.Write(ref _state, Waiting);
        _readCancel = cancellationToken.UnsafeRegister(static state => ((PolledSocketStream)state!).CancelRead(), this);
        if (!MllpPoller.Arm(_epoll, _key, _socket.Handle, _added))
        {
            Finish(new SocketException());
        }

        _added = true;
        return new ValueTask<int>(this, _read.Version);
    }

    /// <summary>On the poller thread: the socket is readable (or closed); receives and continues the waiting read here.</summary>
    internal void OnReadable()
    {
        if (Interlocked.CompareExchange(ref _state, Receiving, Waiting) != Waiting)
        {
            return; // cancelled meanwhile
        }

        var received = 0;
        var error = SocketError.Success;
        Exception? closed = null;
        try
        {
            received = _socket.Receive(_buffer.Span, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException ex)
        {
            // Closed under a waiting read (not done by the listener, which closes only after its reads end): fail the read,
            // never the poller thread.
            closed = ex;
        }

        if (closed is null && error == SocketError.WouldBlock)
        {
            // Nothing after all: wait again, unless a cancellation came while this thread held the read.
            Volatile.Write(ref _state, Waiting);
            if (_readToken.IsCancellationRequested)
            {
                CancelRead();
            }
            else if (!MllpPoller.Arm(_epoll, _key, _socket.Handle, added: true))
            {
                Finish(new SocketException());
            }

            return;
        }

        Volatile.Write(ref _state, Idle);
        _readCancel.Unregister();
        _buffer = default;
        if (closed is not null)
        {
            _read.SetException(closed);
        }
        else if (error == SocketError.Success)
        {
            _read.SetResult(received);
        }
        else
        {
            _read.SetException(new SocketException((int)error));
        }
    }

    private void CancelRead()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            _buffer = default;
            // Not inline: this runs on the timer that cancelled, and the connection's closing code would run there too.
            ThreadPool.UnsafeQueueUserWorkItem(static stream => stream.CompleteCancelled(), this, preferLocal: false);
        }
    }

    private void CompleteCancelled() => _read.SetException(new OperationCanceledException(_readToken));

    private void Finish(Exception failure)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            _readCancel.Unregister();
            _buffer = default;
            _read.SetException(failure);
        }
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        while (!buffer.IsEmpty)
        {
            var sent = _socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return WriteWhenWritableAsync(buffer, cancellationToken);
            }

            if (error != SocketError.Success)
            {
                return ValueTask.FromException(new SocketException((int)error));
            }

            buffer = buffer[sent..];
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteWhenWritableAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken)..];
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous only.");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // A closed socket left the epoll set when it closed, and its number may already belong to another connection.
            _poller.Remove(_epoll, _key, _added && !_socket.SafeHandle.IsClosed ? _socket.Handle : null);
            Finish(new ObjectDisposedException(nameof(PolledSocketStream)));
        }

        base.Dispose(disposing);
    }
}
