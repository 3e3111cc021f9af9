using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sinew.Mllp;

/// <summary>
/// Sends MLLP frames over one persistent connection and returns each response, opening the connection on first use
/// and again on the next send after a timeout or a drop.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent sends are queued and go out one at a time (MLLP has no request ids to match
/// responses to), so use one client per destination lane, or several clients for parallel lanes.
/// On any failure the connection is closed and the exception thrown; the caller retries the same message.
/// A plain connection the peer closed while idle is noticed before sending; over TLS the peer's close
/// can only be seen by reading, so the first send after it fails with <see cref="IOException"/> and the retry reconnects.
/// </remarks>
public sealed class MllpClient : IAsyncDisposable
{
    private readonly MllpClientOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MllpClientConnection? _connection;
    private bool _disposed;

    /// <summary>Creates a client; nothing connects until the first send.</summary>
    public MllpClient(MllpClientOptions options, ILogger<MllpClient>? logger = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid MLLP client options: {string.Join(" ", problems)}", nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>
    /// Frames and sends <paramref name="message"/> and returns the payload of the response frame.
    /// Throws <see cref="TimeoutException"/> past <see cref="MllpClientOptions.ResponseTimeout"/> and
    /// <see cref="IOException"/> when the peer drops the connection; either way the next send reconnects.
    /// </summary>
    public Task<byte[]> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        RunAsync(message, static (connection, message, options, ct) => connection.ExchangeAsync(message, options, ct), cancellationToken);

    /// <summary>
    /// Frames and sends <paramref name="message"/> without waiting for an answer — for a message whose MSH-15 is
    /// <c>NE</c> (never send an accept acknowledgement), where waiting would only time out.
    /// </summary>
    public Task SendWithoutResponseAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        RunAsync(message, static async (connection, message, options, ct) =>
        {
            await connection.SendOnlyAsync(message, options, ct);
            return Array.Empty<byte>();
        }, cancellationToken);

    private async Task<byte[]> RunAsync(ReadOnlyMemory<byte> message, Func<MllpClientConnection, ReadOnlyMemory<byte>, MllpClientOptions, CancellationToken, Task<byte[]>> exchange, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _gate.WaitAsync(_options.ConnectTimeout + _options.ResponseTimeout, cancellationToken))
        {
            throw new TimeoutException("Timed out waiting for the MLLP client to finish the previous send.");
        }

        try
        {
            var connection = _connection;
            if (connection is not null && connection.IsStale())
            {
                _logger.LogDebug("MLLP connection to {Host}:{Port} was closed by the peer; reconnecting", _options.Host, _options.Port);
                await DropAsync();
                connection = null;
            }

            connection ??= _connection = await ConnectAsync(cancellationToken);
            try
            {
                return await exchange(connection, message, _options, cancellationToken);
            }
            catch
            {
                await DropAsync();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // A send still running past its own timeout is cut off: its connection is closed under it.
        var entered = await _gate.WaitAsync(_options.ConnectTimeout + _options.ResponseTimeout);
        try
        {
            _disposed = true;
            await DropAsync();
        }
        finally
        {
            if (entered)
            {
                _gate.Release();
            }
        }
    }

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private async Task<MllpClientConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(BuildTls(tls), timeout.Token);
            }

            _logger.LogDebug("MLLP connection to {Host}:{Port} opened", _options.Host, _options.Port);
            return new MllpClientConnection(socket, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync(stream, socket);
            throw new TimeoutException($"Timed out connecting to MLLP peer {_options.Host}:{_options.Port} after {_options.ConnectTimeout}.");
        }
        catch
        {
            await DisposeAsync(stream, socket);
            throw;
        }
    }

    private static async Task DisposeAsync(Stream? stream, Socket socket)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        socket.Dispose();
    }

    private SslClientAuthenticationOptions BuildTls(MllpClientTlsOptions tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? _options.Host,
            EnabledSslProtocols = tls.EnabledProtocols,
            CertificateRevocationCheckMode = tls.ServerCertificateRevocation,
        };
        if (tls.ClientCertificate is not null)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(tls.ClientCertificate, null, offline: true);
        }

        if (tls.ServerCertificateAuthorities is { } authorities)
        {
            var policy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
            {
                TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                RevocationMode = tls.ServerCertificateRevocation,
            };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }
}
