using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sinew.Mllp;

/// <summary>
/// Accepts MLLP connections on one endpoint and passes each complete frame to an <see cref="IMllpFrameHandler"/>,
/// answering with what it returns. Connections are served concurrently; frames on one connection one at a time, in order.
/// </summary>
/// <remarks>
/// Past <see cref="MllpListenerOptions.MaxConnections"/> a new connection is accepted and closed at once
/// (counted as <see cref="MllpRejection.TooManyConnections"/>) rather than left waiting in the kernel backlog.
/// </remarks>
public sealed class MllpListener : IAsyncDisposable
{
    private readonly MllpListenerOptions _options;
    private readonly ILogger _logger;
    private readonly MllpMetrics _metrics;
    private readonly MllpServerAuthenticator? _tls;
    private readonly MllpListenerRuntime _runtime;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private long _lastConnectionId;
    private int _open;

    /// <summary>Creates a listener; throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public MllpListener(MllpListenerOptions options, IMllpFrameHandler handler, ILogger<MllpListener>? logger = null, IMeterFactory? meterFactory = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid MLLP listener options '{options.Name}': {string.Join(" ", problems)}", nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _tls = options.Tls is null ? null : new MllpServerAuthenticator(options.Tls, options.Name, _logger);
        _metrics = new MllpMetrics(options.Name, meterFactory, () => ServerCertificateNotAfter);
        _runtime = new MllpListenerRuntime
        {
            Options = options,
            Handler = handler,
            Metrics = _metrics,
            Logger = _logger,
            Tls = _tls,
            Stopping = _stopping.Token,
            Aborting = _aborting.Token,
        };
    }

    /// <summary>The bound endpoint, with the actual port when <see cref="MllpListenerOptions.EndPoint"/> asked for port 0; null before start.</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>Expiry of the server certificate, for alerting; null without TLS. Also published as the <c>sinew.mllp.tls.certificate.expiry</c> gauge.</summary>
    public DateTimeOffset? ServerCertificateNotAfter =>
        _tls is { } tls ? new DateTimeOffset(tls.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null;

    /// <summary>
    /// Rotates the server certificate without a restart: new connections get <paramref name="certificate"/>,
    /// open ones keep the certificate they were accepted with.
    /// </summary>
    public void ReplaceServerCertificate(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
    {
        if (_tls is not { } tls)
        {
            throw new InvalidOperationException($"MLLP listener '{_options.Name}' does not use TLS.");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate has no private key.", nameof(certificate));
        }

        tls.Replace(certificate, intermediates);
        _logger.LogInformation("MLLP listener {Listener} now presents a certificate valid until {NotAfter:O}", _options.Name, ServerCertificateNotAfter);
    }

    /// <summary>Connections being served now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Binds the endpoint and starts accepting connections in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_socket is not null)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        var socket = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && _options.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(_options.EndPoint);
            socket.Listen(_options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _logger.LogInformation("MLLP listener {Listener} listening on {EndPoint} (TLS {Tls}, mutual TLS {MutualTls})", _options.Name, LocalEndPoint, _options.Tls is not null, _options.Tls?.RequireClientCertificate ?? false);
        _acceptLoop = AcceptLoopAsync(socket);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting, lets frames in flight finish for up to <see cref="MllpListenerOptions.ShutdownTimeout"/>
    /// (or until <paramref name="cancellationToken"/> fires), then aborts what is left and closes every connection.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_socket is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(_options.ShutdownTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _logger.LogWarning("MLLP listener {Listener} aborting {Count} connections still busy at shutdown", _options.Name, _connections.Count);
        }

        await _aborting.CancelAsync();
        try
        {
            // Every await of a connection observes the abort token; this wait only bounds a misbehaving handler.
            await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            _logger.LogError("MLLP listener {Listener} left {Count} connections whose handler ignored cancellation", _options.Name, _connections.Count);
        }

        _logger.LogInformation("MLLP listener {Listener} stopped", _options.Name);
    }

    /// <summary>Stops with the default shutdown timeout and releases the counters.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _metrics.Dispose();
        _stopping.Dispose();
        _aborting.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listening)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors or a reset before accept: back off briefly instead of spinning.
                _logger.LogWarning("MLLP listener {Listener} accept failed: {SocketError}", _options.Name, ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (Interlocked.Increment(ref _open) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                _metrics.Rejected(MllpRejection.TooManyConnections);
                _logger.LogDebug("MLLP listener {Listener} refused a connection: {Max} already open", _options.Name, _options.MaxConnections);
                accepted.Dispose();
                continue;
            }

            var id = ++_lastConnectionId;
            var serving = ServeAsync(id, accepted);
            _connections[id] = serving;
            if (serving.IsCompleted)
            {
                // It finished before it was registered; its own removal already ran.
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task ServeAsync(long id, Socket accepted)
    {
        try
        {
            await Task.Yield();
            await new MllpConnection(id, accepted, _runtime).RunAsync();
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            _connections.TryRemove(id, out _);
        }
    }
}
