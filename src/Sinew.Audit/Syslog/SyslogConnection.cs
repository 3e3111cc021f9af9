using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Audit.Syslog;

/// <summary>
/// One TLS connection to the syslog server (TLS 1.2 or 1.3 only, the server's certificate checked against the configured CA
/// and the server's name; never plain TCP). A syslog server sends nothing back, so a read kept pending on the stream
/// notices when the server closes or drops the connection, and the next batch waits for a new connection instead of being
/// written into a socket the peer has already left.
/// </summary>
public sealed class SyslogConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);
    private readonly SslStream _stream;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _watch;
    private volatile bool _closed;

    private SyslogConnection(SslStream stream)
    {
        _stream = stream;
        _watch = WatchAsync();
    }

    /// <summary>False once the server has closed the connection or it failed.</summary>
    public bool IsOpen => !_closed;

    /// <summary>The negotiated protocol, for the log.</summary>
    public SslProtocols Protocol => _stream.SslProtocol;

    /// <summary>
    /// Connects and authenticates the server. Throws <see cref="SyslogRefusedException"/> when the server's certificate
    /// fails the check (the reason says which part), or an <see cref="IOException"/>/<see cref="SocketException"/> when it
    /// cannot be reached.
    /// </summary>
    public static async Task<SyslogConnection> OpenAsync(SyslogSettings settings, CancellationToken cancellationToken)
    {
        var authorities = settings.LoadAuthorities();
        var clientCertificate = settings.LoadClientCertificate();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        SslStream? stream = null;
        string? refusal = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(settings.Host, settings.Port, timeout.Token);
            stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A SIEM's private CA rarely publishes revocation lists; trust is the CA file, renewed by replacing it.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = settings.Host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                {
                    refusal = Describe(errors, chain, settings);
                    return refusal is null;
                },
            };
            if (clientCertificate is not null)
            {
                options.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, null, offline: true);
            }
            await stream.AuthenticateAsClientAsync(options, timeout.Token);
            return new SyslogConnection(stream);
        }
        catch (Exception ex) when (refusal is not null && ex is AuthenticationException or IOException)
        {
            await DisposeAsync(stream, socket);
            throw new SyslogRefusedException(refusal, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync(stream, socket);
            throw new TimeoutException($"no TLS connection to {settings.Address} within {ConnectTimeout.TotalSeconds:0} s");
        }
        catch
        {
            await DisposeAsync(stream, socket);
            throw;
        }
    }

    /// <summary>Writes and flushes <paramref name="frames"/>; throws when the connection is closed or the write fails or stalls.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            throw new IOException("the syslog server closed the connection");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await _stream.WriteAsync(frames, timeout.Token);
            await _stream.FlushAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _closed = true;
            throw new TimeoutException($"the syslog server took more than {WriteTimeout.TotalSeconds:0} s to take a batch");
        }
        catch
        {
            _closed = true;
            throw;
        }
    }

    private static string? Describe(SslPolicyErrors errors, X509Chain? chain, SyslogSettings settings)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("it presented no certificate");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add($"its certificate is not issued for the name '{settings.Host}'");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
            reasons.Add($"its certificate does not chain to the CA in {settings.CaFile}" + (statuses.Count > 0 ? $" ({string.Join(", ", statuses)})" : ""));
        }
        return string.Join("; ", reasons);
    }

    /// <summary>Keeps one read pending: a syslog server never sends data, so the read ends only when the connection does.</summary>
    private async Task WatchAsync()
    {
        var buffer = new byte[256];
        try
        {
            while (await _stream.ReadAsync(buffer, _closing.Token) > 0)
            {
                // Anything a server sends is ignored; only the end of the stream matters.
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            // The connection is over either way.
        }
        _closed = true;
    }

    private static async Task DisposeAsync(SslStream? stream, Socket socket)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }
        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        await _closing.CancelAsync();
        await _stream.DisposeAsync();
        try
        {
            await _watch;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Already closed.
        }
        _closing.Dispose();
    }
}
