using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Sinew.Mllp;

/// <summary>One accepted socket: optional TLS handshake, then frames read, handled and answered one at a time.</summary>
internal sealed partial class MllpConnection
{
    // A sender that ends each frame with CR LF, or a stray CR, must not start the frame clock.
    private const int GarbageAllowance = 16;
    private static readonly StreamPipeReaderOptions ReaderOptions = new(MemoryPool<byte>.Shared, bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(MemoryPool<byte>.Shared, minimumBufferSize: 4096, leaveOpen: true);

    private readonly long _id;
    private readonly Socket _socket;
    private readonly MllpListenerRuntime _runtime;
    private MllpFrameScanner _scanner;
    private CancellationTokenSource _handlerTimer;
    private CancellationTokenSource _writeTimer;

    public MllpConnection(long id, Socket socket, MllpListenerRuntime runtime)
    {
        _id = id;
        _socket = socket;
        _runtime = runtime;
        _handlerTimer = CancellationTokenSource.CreateLinkedTokenSource(runtime.Aborting);
        _writeTimer = CancellationTokenSource.CreateLinkedTokenSource(runtime.Aborting);
    }

    private MllpListenerOptions Options => _runtime.Options;

    private ILogger Logger => _runtime.Logger;

    public async Task RunAsync()
    {
        _runtime.Metrics.ConnectionOpened();
        try
        {
            _socket.NoDelay = true;
            await using var network = new NetworkStream(_socket, ownsSocket: true);
            // Plain TCP waits on Sinew's own poller threads (see MllpPoller) where available; TLS goes through .NET's engine.
            Stream stream = _runtime.Tls is null && Options.InlineReceives && MllpPoller.Shared is { } poller ? new PolledSocketStream(_socket, poller) : network;
            var protocol = SslProtocols.None;
            X509Certificate2? clientCertificate = null;
            if (_runtime.Tls is { } tls)
            {
                var ssl = new SslStream(network, leaveInnerStreamOpen: true);
                stream = ssl;
                if (!await TryAuthenticateAsync(ssl, tls.AuthenticationOptions))
                {
                    await ssl.DisposeAsync();
                    return;
                }

                protocol = ssl.SslProtocol;
                clientCertificate = ssl.RemoteCertificate as X509Certificate2;
            }

            await using (stream)
            {
                var info = new MllpConnectionInfo(_id, Options.Name, _socket.RemoteEndPoint, _socket.LocalEndPoint, protocol, clientCertificate);
                var reader = PipeReader.Create(stream, ReaderOptions);
                var writer = PipeWriter.Create(stream, WriterOptions);
                var ending = await PumpAsync(reader, writer, info);
                if (ending is { } rejection)
                {
                    _runtime.Metrics.Rejected(rejection);
                    if (rejection == MllpRejection.IdleTimeout)
                    {
                        LogIdle(Logger, Options.Name, _id);
                    }
                    else
                    {
                        LogClosed(Logger, Options.Name, _id, MllpMetrics.ReasonTag(rejection));
                    }

                    if (rejection is MllpRejection.FrameTooLarge or MllpRejection.HandlerFailed)
                    {
                        await LingerAsync(reader, stream);
                    }
                    else if (rejection == MllpRejection.WriteTimeout)
                    {
                        // The peer reads nothing: completing the writer would wait for ever to flush what it holds. Reset
                        // instead of closing gracefully; the stream is disposed (and leaves the poller) before the socket closes.
                        _socket.LingerState = new LingerOption(true, 0);
                        await reader.CompleteAsync();
                        return;
                    }
                }

                await reader.CompleteAsync();
                await writer.CompleteAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogDropped(Logger, Options.Name, _id, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // Handler code (BuildRejection) may throw with message text in the exception message: log type and stack only.
            Logger.LogError("MLLP connection {ConnectionId} on listener {Listener} failed: {Error} {StackTrace}", _id, Options.Name, ex.GetType().FullName, ex.StackTrace);
        }
        finally
        {
            _socket.Dispose();
            _handlerTimer.Dispose();
            _writeTimer.Dispose();
            _runtime.Metrics.ConnectionClosed();
        }
    }

    private async Task<bool> TryAuthenticateAsync(SslStream ssl, SslServerAuthenticationOptions options)
    {
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_runtime.Stopping);
        handshake.CancelAfter(Options.TlsHandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, handshake.Token);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            _runtime.Metrics.Rejected(MllpRejection.TlsHandshakeFailed);
            Logger.LogInformation("TLS handshake refused on listener {Listener} connection {ConnectionId} from {RemoteEndPoint}: {Error}", Options.Name, _id, _socket.RemoteEndPoint, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Reads frames until the peer leaves or a limit is hit; returns the rejection that ended it, if any.</summary>
    private async Task<MllpRejection?> PumpAsync(PipeReader reader, PipeWriter writer, MllpConnectionInfo info)
    {
        using var readTimer = new CancellationTokenSource();
        using var stopping = _runtime.Stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), readTimer);
        long frameStarted = 0;
        long garbageSinceFrame = 0;
        while (true)
        {
            var wait = frameStarted == 0 ? Options.IdleTimeout : Options.FrameTimeout - Stopwatch.GetElapsedTime(frameStarted);
            if (wait <= TimeSpan.Zero)
            {
                return MllpRejection.FrameTimeout;
            }

            readTimer.CancelAfter(wait);
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(readTimer.Token);
            }
            catch (OperationCanceledException)
            {
                if (_runtime.Stopping.IsCancellationRequested)
                {
                    return null;
                }

                return frameStarted == 0 ? MllpRejection.IdleTimeout : MllpRejection.FrameTimeout;
            }

            readTimer.CancelAfter(Timeout.Infinite);
            var buffer = result.Buffer;
            MllpRejection? ending = null;
            var stop = false;
            try
            {
                while (true)
                {
                    var status = _scanner.TryRead(ref buffer, Options.MaxFrameBytes, out var payload, out var garbage);
                    if (garbage > 0)
                    {
                        garbageSinceFrame += garbage;
                        _runtime.Metrics.GarbageSkipped(garbage);
                        LogGarbage(Logger, Options.Name, _id, garbage);
                    }

                    if (status == MllpScanStatus.Frame)
                    {
                        frameStarted = 0;
                        garbageSinceFrame = 0;
                        _runtime.Metrics.FrameReceived();
                        if (Options.Gate is { } gate)
                        {
                            // Throttled: the frame waits here, and nothing more is read from this connection until it is handled.
                            await gate.WaitForTurnAsync(info, _runtime.Stopping);
                        }

                        ending = await HandleAsync(payload, info, writer);
                        if (ending is not null || _runtime.Stopping.IsCancellationRequested)
                        {
                            stop = true;
                            break;
                        }

                        continue;
                    }

                    if (status == MllpScanStatus.TooLarge)
                    {
                        ending = MllpRejection.FrameTooLarge;
                        await WriteAsync(writer, _runtime.Handler.BuildRejection(MllpRejection.FrameTooLarge, payload));
                        stop = true;
                        break;
                    }

                    if (garbageSinceFrame > Options.MaxFrameBytes)
                    {
                        ending = MllpRejection.GarbageLimit;
                        stop = true;
                    }
                    else if (frameStarted == 0 && (_scanner.InFrame || garbageSinceFrame > GarbageAllowance))
                    {
                        frameStarted = Stopwatch.GetTimestamp();
                    }

                    break;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (stop)
            {
                return ending;
            }

            if (result.IsCompleted)
            {
                if (_scanner.InFrame)
                {
                    LogDropped(Logger, Options.Name, _id, "peer closed inside a frame");
                }

                return null;
            }
        }
    }

    private async ValueTask<MllpRejection?> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo info, PipeWriter writer)
    {
        ReadOnlyMemory<byte> response;
        MllpRejection? ending = null;
        _handlerTimer.CancelAfter(Options.HandlerTimeout);
        try
        {
            response = await _runtime.Handler.HandleAsync(payload, info, _handlerTimer.Token);
            _handlerTimer = Disarm(_handlerTimer);
        }
        catch (Exception ex)
        {
            // The exception text may quote the message; log its type only.
            Logger.LogWarning("MLLP handler failed on listener {Listener} connection {ConnectionId}: {Error}", Options.Name, _id, ex.GetType().Name);
            ending = MllpRejection.HandlerFailed;
            response = _runtime.Handler.BuildRejection(MllpRejection.HandlerFailed, payload);
        }

        return await WriteAsync(writer, response) ? ending : MllpRejection.WriteTimeout;
    }

    private async ValueTask<bool> WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> response)
    {
        if (response.IsEmpty)
        {
            return true;
        }

        MllpFraming.Write(writer, response.Span);
        _writeTimer.CancelAfter(Options.WriteTimeout);
        try
        {
            await writer.FlushAsync(_writeTimer.Token);
            _writeTimer = Disarm(_writeTimer);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops a timer for reuse on the next frame; replaces it if it fired just as the work finished.</summary>
    private CancellationTokenSource Disarm(CancellationTokenSource timer)
    {
        if (timer.TryReset())
        {
            return timer;
        }

        timer.Dispose();
        return CancellationTokenSource.CreateLinkedTokenSource(_runtime.Aborting);
    }

    /// <summary>
    /// After a rejection, half-closes and discards what the peer still sends for a short while, so the kernel
    /// does not reset the connection (and destroy the rejection in flight) because unread bytes remained.
    /// </summary>
    private async Task LingerAsync(PipeReader reader, Stream stream)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(_runtime.Aborting);
        linger.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            if (stream is SslStream ssl)
            {
                await ssl.ShutdownAsync();
            }

            _socket.Shutdown(SocketShutdown.Send);
            long drained = 0;
            while (drained <= Options.MaxFrameBytes)
            {
                var result = await reader.ReadAsync(linger.Token);
                drained += result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer left or kept sending; either way the connection is closing.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped {Bytes} bytes outside any frame on listener {Listener} connection {ConnectionId}")]
    private static partial void LogGarbage(ILogger logger, string listener, long connectionId, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed MLLP connection {ConnectionId} on listener {Listener}: {Reason}")]
    private static partial void LogClosed(ILogger logger, string listener, long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed idle MLLP connection {ConnectionId} on listener {Listener}")]
    private static partial void LogIdle(ILogger logger, string listener, long connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MLLP connection {ConnectionId} on listener {Listener} dropped: {Error}")]
    private static partial void LogDropped(ILogger logger, string listener, long connectionId, string error);
}
