using System.Net;
using System.Net.Sockets;

namespace Sinew.Mllp.Tests;

/// <summary>A plain socket that writes arbitrary bytes (well-formed or hostile) and reads frames back with a timeout.</summary>
internal sealed class RawPeer : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private readonly List<byte> _received = [];
    private readonly byte[] _chunk = new byte[8192];

    private RawPeer(Socket socket) => _socket = socket;

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultWait);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return new RawPeer(socket);
    }

    /// <summary>
    /// Writes bursts of frames and never reads an answer, until the listener closes the connection (true) or
    /// <paramref name="within"/> passes (false).
    /// </summary>
    public static async Task<bool> FloodUntilClosedAsync(Func<byte[], CancellationToken, ValueTask> write, TimeSpan within, CancellationToken cancellationToken)
    {
        var burst = Enumerable.Repeat(Frame(TestAck.Message("H")), 1000).SelectMany(f => f).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(within);
        try
        {
            while (true)
            {
                await write(burst, stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return !stop.IsCancellationRequested;
        }
    }

    public static byte[] Frame(byte[] payload) => [MllpFraming.StartBlock, .. payload, MllpFraming.EndBlock, MllpFraming.CarriageReturn];

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken) =>
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);

    /// <summary>Reads the next complete frame's payload; fails the test if none arrives in time or the connection closes.</summary>
    public async Task<byte[]> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultWait);
        while (true)
        {
            var start = _received.IndexOf(MllpFraming.StartBlock);
            if (start >= 0)
            {
                for (var i = start + 1; i + 1 < _received.Count; i++)
                {
                    if (_received[i] == MllpFraming.EndBlock && _received[i + 1] == MllpFraming.CarriageReturn)
                    {
                        var payload = _received.GetRange(start + 1, i - start - 1).ToArray();
                        _received.RemoveRange(0, i + 2);
                        return payload;
                    }
                }
            }

            var read = await _socket.ReceiveAsync(_chunk, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException("Connection closed before a complete frame arrived.");
            }

            _received.AddRange(_chunk.AsSpan(0, read));
        }
    }

    /// <summary>Waits until the listener closes the connection (FIN or reset), discarding bytes; throws on timeout.</summary>
    public async Task WaitForCloseAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            while (await _socket.ReceiveAsync(_chunk, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset by the listener: closed as well.
        }
    }

    /// <summary>Writes one byte at a time with a pause, until the listener cuts the connection; returns how many bytes went out.</summary>
    public async Task<int> TrickleAsync(byte[] bytes, TimeSpan pause, CancellationToken cancellationToken)
    {
        var sent = 0;
        try
        {
            foreach (var b in bytes)
            {
                await _socket.SendAsync(new[] { b }, SocketFlags.None, cancellationToken);
                sent++;
                await Task.Delay(pause, cancellationToken);
                if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
                {
                    return sent;
                }
            }
        }
        catch (SocketException)
        {
            return sent;
        }

        return sent;
    }

    public void Dispose() => _socket.Dispose();
}
