using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sinew-mllp-tls-").FullName;

    private static TestCertificates Pki => TestCertificates.Instance;

    [Fact]
    public async Task Tls_ServerCertificateFromPemFiles_ClientGetsAck()
    {
        var ct = TestContext.Current.CancellationToken;
        var (certificate, key, _) = Pki.WriteServerPem(_directory);
        var tls = new MllpServerTlsOptions { Certificate = MllpCertificates.FromPemFiles(certificate, key) };
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = tls });
        await using var client = fixture.Client(TrustingClient(null));

        var ack = await client.SendAsync(TestAck.Message("TLS1"), ct);

        Assert.Equal("TLS1", TestAck.AckedId(ack));
        Assert.Equal(Pki.Server.NotAfter.ToUniversalTime(), fixture.Listener.ServerCertificateNotAfter!.Value.UtcDateTime);
    }

    [Fact]
    public async Task Tls_ClientTrustingAnotherCa_RefusesServer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = new MllpServerTlsOptions { Certificate = Pki.Server } });
        await using var client = fixture.Client(new MllpClientTlsOptions { TargetHost = "localhost", ServerCertificateAuthorities = [Pki.Stranger] });

        await Assert.ThrowsAsync<AuthenticationException>(() => client.SendAsync(TestAck.Message("NOTRUST"), ct));
        Assert.Equal(0, fixture.Handler.Frames);
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromTrustedCa_GetsAckAndIsVisibleToHandler()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, _, bundle) = Pki.WriteServerPem(_directory);
        var handler = new SubjectRecordingHandler();
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = MutualTls(MllpCertificates.FromPemBundle(bundle)) }, handler);
        await using var client = fixture.Client(TrustingClient(Pki.Client));

        var ack = await client.SendAsync(TestAck.Message("MTLS1"), ct);

        Assert.Equal("MTLS1", TestAck.AckedId(ack));
        Assert.Equal("CN=lab-analyzer", handler.LastSubject);
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromWrongCa_Refused()
    {
        await AssertClientRefusedAsync(Pki.StrangerClient);
    }

    [Fact]
    public async Task MutualTls_ExpiredClientCertificate_Refused()
    {
        await AssertClientRefusedAsync(Pki.ExpiredClient);
    }

    [Fact]
    public async Task MutualTls_NoClientCertificate_Refused()
    {
        await AssertClientRefusedAsync(null);
    }

    [Fact]
    public async Task ReplaceServerCertificate_NewConnectionsGetRenewedCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = new MllpServerTlsOptions { Certificate = Pki.Server } });
        Assert.Equal(Pki.Server.Thumbprint, await PresentedThumbprintAsync(fixture.EndPoint, ct));

        fixture.Listener.ReplaceServerCertificate(Pki.RenewedServer);

        Assert.Equal(Pki.RenewedServer.Thumbprint, await PresentedThumbprintAsync(fixture.EndPoint, ct));
        Assert.Equal(Pki.RenewedServer.NotAfter.ToUniversalTime(), fixture.Listener.ServerCertificateNotAfter!.Value.UtcDateTime);
        await using var client = fixture.Client(TrustingClient(null));
        Assert.Equal("RENEWED", TestAck.AckedId(await client.SendAsync(TestAck.Message("RENEWED"), ct)));
    }

    [Fact]
    public async Task TlsClientThatNeverHandshakes_ClosedAfterHandshakeTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with
        {
            Tls = new MllpServerTlsOptions { Certificate = Pki.Server },
            TlsHandshakeTimeout = TimeSpan.FromMilliseconds(500),
            IdleTimeout = TimeSpan.FromMinutes(5),
        });
        using var silent = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await silent.WaitForCloseAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/tls_handshake_failed"));
    }

    [Fact]
    public void FromPfxFile_PasswordProtected_LoadsCertificateWithKey()
    {
        var path = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(path, Pki.Server.Export(X509ContentType.Pkcs12, "s3cret"));

        using var loaded = MllpCertificates.FromPfxFile(path, "s3cret");

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(Pki.Server.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void FromPemBundle_FileWithoutCertificate_ThrowsNamingTheFile()
    {
        var path = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(path, "not a certificate\n");

        var error = Assert.Throws<InvalidDataException>(() => MllpCertificates.FromPemBundle(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls11Client_Refused()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(await PlatformSpeaksTls11Async(ct), "This platform's TLS library refuses TLS 1.1 on both ends, so the listener's own refusal cannot be observed.");
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = new MllpServerTlsOptions { Certificate = Pki.Server } });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(fixture.EndPoint, ct);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), false, IsTestServer);

        await Assert.ThrowsAnyAsync<Exception>(() => ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = Tls11 }, ct));
        Assert.Equal(0, fixture.Handler.Frames);
    }

    [Fact]
    public async Task Tls_PeerThatNeverReadsItsAcks_ClosedAfterWriteTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = new MllpServerTlsOptions { Certificate = Pki.Server }, WriteTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(fixture.EndPoint, ct);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), false, IsTestServer);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, ct);

        Assert.True(await RawPeer.FloodUntilClosedAsync((burst, token) => ssl.WriteAsync(burst, token), TimeSpan.FromSeconds(30), ct), "the listener never closed the TLS connection that did not read its ACKs");
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/write_timeout"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

#pragma warning disable SYSLIB0039, CA5397 // TLS 1.1 is used on purpose, to check it is refused.
    private static SslProtocols Tls11 => SslProtocols.Tls11;
#pragma warning restore SYSLIB0039, CA5397

    private static bool IsTestServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Pki.Server.GetCertHashString();

    private static MllpServerTlsOptions MutualTls(X509Certificate2Collection authorities) => new()
    {
        Certificate = Pki.Server,
        RequireClientCertificate = true,
        ClientCertificateAuthorities = authorities,
    };

    private static MllpClientTlsOptions TrustingClient(X509Certificate2? clientCertificate) => new()
    {
        TargetHost = "localhost",
        ClientCertificate = clientCertificate,
        ServerCertificateAuthorities = [Pki.Authority],
    };

    private static async Task AssertClientRefusedAsync(X509Certificate2? clientCertificate)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { Tls = MutualTls([Pki.Authority]) });
        await using var client = fixture.Client(TrustingClient(clientCertificate));

        // Under TLS 1.3 the client may finish its side before the server's refusal arrives, so the failure
        // shows either in the handshake or on the first read; either way no ACK comes back.
        await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(TestAck.Message("REFUSED"), ct));

        Assert.Equal(0, fixture.Handler.Frames);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/tls_handshake_failed"));
    }

    private static async Task<string?> PresentedThumbprintAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, ct);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), false, IsIssuedByTestAuthority);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, ct);
        return (ssl.RemoteCertificate as X509Certificate2)?.Thumbprint;
    }

    private static bool IsIssuedByTestAuthority(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.Issuer == Pki.Authority.Subject;

    /// <summary>Checks whether a TLS 1.1 handshake can succeed at all here when both ends allow it.</summary>
    private static async Task<bool> PlatformSpeaksTls11Async(CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct);
        using var accepted = await listener.AcceptTcpClientAsync(ct);
        await using var serverSsl = new SslStream(accepted.GetStream());
        await using var clientSsl = new SslStream(client.GetStream(), false, IsTestServer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await Task.WhenAll(
                serverSsl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Pki.Server, EnabledSslProtocols = Tls11 }, timeout.Token),
                clientSsl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = Tls11 }, timeout.Token));
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private sealed class SubjectRecordingHandler : IMllpFrameHandler
    {
        public string? LastSubject { get; private set; }

        public ValueTask<ReadOnlyMemory<byte>> HandleAsync(System.Buffers.ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
        {
            LastSubject = connection.ClientCertificate?.Subject;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(TestAck.Ack(TestAck.ControlId(payload)));
        }

        public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, System.Buffers.ReadOnlySequence<byte> partialPayload) => default;
    }
}
