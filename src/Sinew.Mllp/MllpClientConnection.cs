using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Sinew.Mllp;

/// <summary>An open socket with its pipes; used by one send at a time.</summary>
internal sealed class MllpClientConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private MllpFrameScanner _scanner;

    public MllpClientConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>True when the peer closed the connection while it sat idle (readable with nothing to read).</summary>
    /// <remarks>Readable with data is not stale: TLS 1.3 session tickets arrive after the handshake.</remarks>
    public bool IsStale()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    public async Task<byte[]> ExchangeAsync(ReadOnlyMemory<byte> message, MllpClientOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ResponseTimeout);
        try
        {
            MllpFraming.Write(_writer, message.Span);
            await _writer.FlushAsync(timeout.Token);
            while (true)
            {
                var result = await _reader.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                byte[]? response = null;
                var status = _scanner.TryRead(ref buffer, options.MaxResponseBytes, out var payload, out _);
                if (status == MllpScanStatus.Frame)
                {
                    response = payload.ToArray();
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (response is not null)
                {
                    return response;
                }

                if (status == MllpScanStatus.TooLarge)
                {
                    throw new InvalidDataException($"MLLP response larger than {options.MaxResponseBytes} bytes.");
                }

                if (result.IsCompleted)
                {
                    throw new IOException("The MLLP peer closed the connection before responding.");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No MLLP response within {options.ResponseTimeout}.");
        }
    }

    /// <summary>Writes one frame and waits for nothing back (for messages whose MSH-15 asks for no accept ACK).</summary>
    public async Task SendOnlyAsync(ReadOnlyMemory<byte> message, MllpClientOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ResponseTimeout);
        try
        {
            MllpFraming.Write(_writer, message.Span);
            await _writer.FlushAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Could not write the MLLP frame within {options.ResponseTimeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _writer.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
