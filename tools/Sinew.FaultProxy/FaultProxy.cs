using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sinew.FaultProxy;

/// <summary>
/// A TCP proxy between Sinew and one of its peers that misbehaves on demand (latency, jitter, bandwidth limit, reset
/// after N bytes, black hole, half-open, refusal), so the reliability tests can show what Sinew does when the network
/// between it and a peer fails. Behaviour is changed at run time through <see cref="Settings"/>.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int ChunkBytes = 16 * 1024;
    private readonly Socket _listener;
    private readonly EndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<ProxyConnection, byte> _open = new();
    private FaultSettings _settings = FaultSettings.PassThrough;
    private Task? _acceptLoop;
    private long _accepted;
    private long _bytesUp;
    private long _bytesDown;

    /// <summary>Starts listening on <paramref name="listen"/> (port 0 picks a free one) and forwards to <paramref name="target"/>.</summary>
    public FaultProxy(IPEndPoint listen, EndPoint target)
    {
        _target = target;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(listen);
        _listener.Listen(1024);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>A proxy on a free loopback port in front of <c>127.0.0.1:<paramref name="targetPort"/></c>.</summary>
    public static FaultProxy OnLoopback(int targetPort) => new(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, targetPort));

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The behaviour now; setting it applies to open connections from their next chunk.</summary>
    public FaultSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            var problems = value.Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException("fault proxy settings: " + string.Join("; ", problems), nameof(value));
            }
            Volatile.Write(ref _settings, value);
        }
    }

    /// <summary>Connections accepted since the start (refused ones included).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public int Open => _open.Count;

    /// <summary>Bytes forwarded client → target.</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    /// <summary>Bytes forwarded target → client.</summary>
    public long BytesDown => Interlocked.Read(ref _bytesDown);

    /// <summary>Resets every open connection (RST on both sides), as a crashed middlebox does.</summary>
    public void ResetAll()
    {
        foreach (var connection in _open.Keys)
        {
            connection.Reset();
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            Interlocked.Increment(ref _accepted);
            client.NoDelay = true;
            var settings = Settings;
            if (settings.Mode == FaultMode.Refuse)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }
            var connection = new ProxyConnection(this, client);
            _open[connection] = 0;
            _ = Task.Run(() => connection.RunAsync(settings.Mode == FaultMode.BlackHole, token), CancellationToken.None);
        }
    }

    private void Closed(ProxyConnection connection) => _open.TryRemove(connection, out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }
        ResetAll();
        _stop.Dispose();
    }

    /// <summary>One client connection and, unless black-holed from the start, its connection to the target.</summary>
    private sealed class ProxyConnection(FaultProxy proxy, Socket client)
    {
        private readonly Socket _client = client;
        private readonly Socket _upstream = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly CancellationTokenSource _reset = new();
        private long _budgetUsed;
        private int _wasReset;

        public async Task RunAsync(bool blackHole, CancellationToken stopping)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _reset.Token);
            var token = linked.Token;
            try
            {
                if (blackHole)
                {
                    await DrainAsync(_client, token);
                    return;
                }
                await _upstream.ConnectAsync(proxy._target, token);
                var up = PumpAsync(_client, _upstream, upstream: true, token);
                var down = PumpAsync(_upstream, _client, upstream: false, token);
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The client, the target or a reset ended it; a refused target connection is passed on as a reset.
            }
            finally
            {
                Reset();
                proxy.Closed(this);
            }
        }

        /// <summary>Reads and throws away, forever: the black hole.</summary>
        private static async Task DrainAsync(Socket from, CancellationToken token)
        {
            var buffer = new byte[ChunkBytes];
            while (await from.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
            {
            }
            // The client closed its side; a black hole never answers, so it keeps ours open until stopped.
            await Task.Delay(Timeout.Infinite, token);
        }

        private async Task PumpAsync(Socket from, Socket to, bool upstream, CancellationToken token)
        {
            var buffer = new byte[ChunkBytes];
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, token);
                var settings = proxy.Settings;
                if (read == 0)
                {
                    if (!upstream && settings.Mode == FaultMode.HalfOpen)
                    {
                        // The target hung up, but a half-open link never tells the client.
                        await Task.Delay(Timeout.Infinite, token);
                    }
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                switch (settings.Mode)
                {
                    case FaultMode.BlackHole when upstream:
                    case FaultMode.HalfOpen when !upstream:
                        continue;
                    case FaultMode.BlackHole:
                        continue;
                }
                var chunk = buffer.AsMemory(0, read);
                if (settings.Mode == FaultMode.ResetAfterBytes)
                {
                    // Reserve the bytes first, so the two directions together never carry more than the budget.
                    var after = Interlocked.Add(ref _budgetUsed, read);
                    if (after > settings.ResetAfterBytes)
                    {
                        var allowed = read - (after - settings.ResetAfterBytes);
                        if (allowed > 0)
                        {
                            await ForwardAsync(to, chunk[..(int)allowed], settings, upstream, token);
                        }
                        Reset();
                        return;
                    }
                }
                await ForwardAsync(to, chunk, settings, upstream, token);
            }
        }

        private async Task ForwardAsync(Socket to, ReadOnlyMemory<byte> chunk, FaultSettings settings, bool upstream, CancellationToken token)
        {
            var delay = settings.Latency + (settings.Jitter > TimeSpan.Zero ? settings.Jitter * Random.Shared.NextDouble() : TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, token);
            }
            while (!chunk.IsEmpty)
            {
                var slice = chunk;
                if (settings.BytesPerSecond > 0)
                {
                    // Send in slices of a tenth of a second's worth, pausing between them.
                    var sliceBytes = (int)Math.Clamp(settings.BytesPerSecond / 10, 1, ChunkBytes);
                    slice = chunk[..Math.Min(sliceBytes, chunk.Length)];
                }
                var sent = await to.SendAsync(slice, SocketFlags.None, token);
                Interlocked.Add(ref upstream ? ref proxy._bytesUp : ref proxy._bytesDown, sent);
                chunk = chunk[sent..];
                if (settings.BytesPerSecond > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)sent / settings.BytesPerSecond), token);
                }
            }
        }

        /// <summary>Closes both sides with an RST (linger 0), once.</summary>
        public void Reset()
        {
            if (Interlocked.Exchange(ref _wasReset, 1) == 1)
            {
                return;
            }
            foreach (var socket in new[] { _client, _upstream })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
                socket.Dispose();
            }
            try
            {
                _reset.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
