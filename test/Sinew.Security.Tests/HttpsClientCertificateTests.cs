using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Sinew.Security.Tests;

/// <summary>
/// HTTPS and mutual TLS client identity on the HTTP listener (<c>security.https</c>), through the real <c>sinew run</c>:
/// a client certificate chaining to <c>clientCertificateAuthorities</c> and registered in <c>security.clients</c> is that
/// system client on <c>/in/…</c> and <c>/fhir/…</c>; anything else is refused, journals nothing, and refusals are audited.
/// </summary>
public sealed class HttpsClientCertificateTests(HttpsSinew sinew) : IClassFixture<HttpsSinew>
{
    private const string Hl7 = "MSH|^~\\&|LAB|HOSP|SINEW|HOSP|20260101120000||ORU^R01|C1|P|2.5\rPID|1||MRN-1";

    private const string Delivery = """{"resourceType":"SupplyDelivery","status":"completed","suppliedItem":{"quantity":{"value":2},"itemCodeableConcept":{"coding":[{"code":"SUP-1"}]}},"occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}""";

    // TLS 1.1 on purpose, in one place: the server must refuse it, and the control server allows it.
#pragma warning disable SYSLIB0039, CA5397
    private static readonly SslProtocols Tls11 = SslProtocols.Tls11;
#pragma warning restore SYSLIB0039, CA5397

    private static HttpsPki Pki => HttpsPki.Instance;

    [Fact]
    public async Task Listener_IsHttps_WithTheConfiguredServerCertificate()
    {
        Assert.Equal("https", sinew.BaseUrl.Scheme);
        using var client = sinew.Client(null);
        using var response = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task StartUpLog_HasNoKestrelWarning_TheHttpsEndpointIsTheOnlyAddress()
    {
        using var client = sinew.Client(null);
        using var response = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);

        // Kestrel warns "Overriding address(es) ..." when an address from UseUrls or ASPNETCORE_URLS sits beside the explicit https endpoint.
        Assert.DoesNotContain("Overriding address", sinew.Sinew.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.Server.Kestrel", sinew.Sinew.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredCertificate_WithTheChannelScope_Accepted202_AndJournaled()
    {
        var before = await sinew.JournaledAsync("lab");
        using var client = sinew.Client(Pki.Lab);
        var (status, body, _) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2");
        Assert.True(status == 202, $"{status}: {body}");
        Assert.Equal(before + 1, await sinew.JournaledAsync("lab"));
    }

    [Fact]
    public async Task CertificateRegisteredByThumbprint_SendsOnItsChannel_ForbiddenOnAnother_NothingJournaled_Audited()
    {
        using var client = sinew.Client(Pki.Pharmacy);
        var (accepted, acceptedBody, _) = await HttpsSinew.PostAsync(client, "/in/pharmacy", Hl7, "application/hl7-v2");
        Assert.True(accepted == 202, $"{accepted}: {acceptedBody}");

        var before = await sinew.JournaledAsync("lab");
        var (status, body, contentType) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2");
        Assert.Equal(403, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("pharmacy-robot", body, StringComparison.Ordinal);
        Assert.Contains("channel:lab:send", body, StringComparison.Ordinal);
        Assert.Equal(before, await sinew.JournaledAsync("lab"));
        Assert.Contains(await sinew.AuditAsync(), r => r.Action == "auth.denied" && r.Actor == "pharmacy-robot" && r.Reason == "needs scope channel:lab:send");
    }

    [Fact]
    public async Task UnregisteredCertificate_FromTheTrustedCa_Refused401_NothingJournaled_AuditedAsLoginFailure()
    {
        // The certificate chains to the partners' CA, so the handshake succeeds; but it names no client, so the caller
        // has no identity: 401 (not 403, which would mean "known, but not allowed"), like an unknown API key.
        var before = await sinew.JournaledAsync("lab");
        using var client = sinew.Client(Pki.Unregistered);
        var (status, body, contentType) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2");
        Assert.Equal(401, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("not registered", body, StringComparison.Ordinal);
        Assert.Equal(before, await sinew.JournaledAsync("lab"));
        Assert.Contains(await sinew.AuditAsync(), r => r.Action == "auth.login-failed" && r.Reason!.Contains("not registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnregisteredCertificate_Refused401_WithThePlainChallenge_NotABearerTokenError()
    {
        // No bearer token was sent, so RFC 6750's invalid_token would send the client looking for a token problem.
        using var client = sinew.Client(Pki.Unregistered);
        using var content = new StringContent(Hl7, System.Text.Encoding.UTF8, "application/hl7-v2");
        using var response = await client.PostAsync("/in/lab", content, TestContext.Current.CancellationToken);
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task UnregisteredCertificate_WithAnApiKey_TheKeyIdentifiesTheSender()
    {
        using var client = sinew.Client(Pki.Unregistered);
        var (status, body, _) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2", sinew.LabKey);
        Assert.True(status == 202, $"{status}: {body}");
    }

    [Fact]
    public async Task CertificateFromAnotherCa_WithTheLabsSubject_HandshakeRefused_NothingJournaled()
    {
        // Same subject as the registered lab analyzer: only the chain check stands between it and channel lab.
        var before = await sinew.JournaledAsync("lab");
        using var client = sinew.Client(Pki.StrangerLab);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2"));
        Assert.NotNull(refused.InnerException);
        Assert.Equal(before, await sinew.JournaledAsync("lab"));
    }

    [Fact]
    public async Task NoCertificate_Refused401_UnlessAnApiKeyIsGiven()
    {
        var before = await sinew.JournaledAsync("lab");
        using var client = sinew.Client(null);
        var (status, body, contentType) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2");
        Assert.Equal(401, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(before, await sinew.JournaledAsync("lab"));

        var (withKey, withKeyBody, _) = await HttpsSinew.PostAsync(client, "/in/lab", Hl7, "application/hl7-v2", sinew.LabKey);
        Assert.True(withKey == 202, $"{withKey}: {withKeyBody}");
        Assert.Equal(before + 1, await sinew.JournaledAsync("lab"));
        Assert.DoesNotContain("snw_", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameCertificate_OnFhir_WithTheWriteScope_Created201()
    {
        var before = await sinew.JournaledAsync("supply");
        using var client = sinew.Client(Pki.Lab);
        var (status, body, _) = await HttpsSinew.PostAsync(client, "/fhir/SupplyDelivery", Delivery, "application/fhir+json");
        Assert.True(status == 201, $"{status}: {body}");
        Assert.Equal(before + 1, await sinew.JournaledAsync("supply"));
    }

    [Fact]
    public async Task CertificateWithoutTheFhirWriteScope_Forbidden403_OperationOutcome_NothingJournaled()
    {
        var before = await sinew.JournaledAsync("supply");
        using var client = sinew.Client(Pki.Pharmacy);
        var (status, body, contentType) = await HttpsSinew.PostAsync(client, "/fhir/SupplyDelivery", Delivery, "application/fhir+json");
        Assert.Equal(403, status);
        Assert.Equal("application/fhir+json", contentType);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"forbidden\"", body, StringComparison.Ordinal);
        Assert.Contains("fhir:SupplyDelivery.write", body, StringComparison.Ordinal);
        Assert.Equal(before, await sinew.JournaledAsync("supply"));
    }

    [Fact]
    public async Task PlainHttp_ToTheHttpsPort_Refused_NothingJournaled()
    {
        var before = await sinew.JournaledAsync("lab");
        var request = Encoding.ASCII.GetBytes(
            $"POST /in/lab HTTP/1.1\r\nHost: {sinew.BaseUrl.Authority}\r\nAuthorization: ApiKey {sinew.LabKey}\r\nContent-Type: application/hl7-v2\r\n" +
            $"Content-Length: {Hl7.Length}\r\nConnection: close\r\n\r\n{Hl7}");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(sinew.BaseUrl.Host, sinew.BaseUrl.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var answer = new StringBuilder();
        try
        {
            await stream.WriteAsync(request, TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server: refused.
        }
        Assert.DoesNotContain("HTTP/1.1 2", answer.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await sinew.JournaledAsync("lab"));
    }

    [Fact]
    public async Task Tls12_Accepted_Tls11_Refused()
    {
        Assert.Null(await HandshakeAsync(sinew.BaseUrl.Port, SslProtocols.Tls12));
        if (await Tls11WorksOnThisPlatformAsync() is { } why)
        {
            Assert.Skip("this machine's TLS library will not speak TLS 1.1 even to a server that allows it, so Sinew's refusal cannot be told apart: " + why);
        }
        var refusal = await HandshakeAsync(sinew.BaseUrl.Port, Tls11);
        Assert.NotNull(refusal);
    }

    /// <summary>Null when a TLS handshake with only <paramref name="protocols"/> succeeds on <paramref name="port"/>; else why not.</summary>
    private static async Task<string?> HandshakeAsync(int port, SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is System.Security.Cryptography.X509Certificates.X509Certificate2 server && HttpsSinew.ChainsTo(server, Pki.Authority),
            }, TestContext.Current.CancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return ex.Message + (ex.InnerException is { } inner ? " / " + inner.Message : "");
        }
    }

    /// <summary>
    /// The control for the TLS 1.1 case: a server in this test that allows TLS 1.1. Null when the client gets through
    /// to it, so a refusal by Sinew is Sinew's; else why the platform refuses TLS 1.1 on its own.
    /// </summary>
    private static async Task<string?> Tls11WorksOnThisPlatformAsync()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            await using var tls = new SslStream(accepted.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Pki.Server, EnabledSslProtocols = Tls11 | SslProtocols.Tls12 }, TestContext.Current.CancellationToken);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                // The client's side says why.
            }
        }, TestContext.Current.CancellationToken);
        var why = await HandshakeAsync(port, Tls11);
        await serve;
        return why;
    }
}
