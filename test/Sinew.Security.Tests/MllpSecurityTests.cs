using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sinew.Mllp;
using Sinew.Mllp.Tests;
using Sinew.Security.ApiKeys;

namespace Sinew.Security.Tests;

/// <summary>
/// mTLS client identity on MLLP: the certificate maps to a system client whose scopes decide which channels it may
/// send to (AR with the reason otherwise, connection kept); a throttled channel slows reads instead of dropping.
/// </summary>
public sealed class MllpSecurityTests : IAsyncLifetime
{
    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private SinewProcess? _sinew;
    private int _labPort;
    private int _pharmacyPort;
    private string _metricsKey = "";

    public async ValueTask InitializeAsync()
    {
        var (certificate, key, bundle) = TestCertificates.Instance.WriteServerPem(_config.Path);
        _labPort = Ports.Free();
        _pharmacyPort = Ports.Free();
        _config.Write("sinew.yaml", """
            security:
              clients:
                - id: lab-analyzer
                  certificateSubject: CN=lab-analyzer
                  scopes: [channel:lab:send]
              throttle:
                channels:
                  lab: { rate: 1, per: 100ms, burst: 1 }
            """);
        foreach (var (name, port) in new[] { ("lab", _labPort), ("pharmacy", _pharmacyPort) })
        {
            _config.Write($"channels/{name}.yaml", $"""
                name: {name}
                source:
                  type: mllp
                  listen: 127.0.0.1:{port}
                  validate: false
                  tls:
                    certificate: {certificate}
                    key: {key}
                    clientCa: {bundle}
                destinations:
                  - name: archive
                    type: file
                    maxSensitivity: phi
                    path: out/{name}
                """);
        }
        using (var store = SecurityStore.Open(_data.Path))
        {
            _metricsKey = store.CreateKey("prometheus", ["metrics:read"], [], DateTimeOffset.UtcNow).Secret;
        }
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
    }

    private static MllpClient Client(int port) => new(new MllpClientOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Tls = new MllpClientTlsOptions
        {
            TargetHost = "localhost",
            ClientCertificate = TestCertificates.Instance.Client,
            ServerCertificateAuthorities = [TestCertificates.Instance.Authority],
        },
    });

    private static byte[] Message(string controlId) =>
        Encoding.ASCII.GetBytes($"MSH|^~\\&|LAB|HOSP|SINEW|HOSP|20260101120000||ORU^R01|{controlId}|P|2.5\rPID|1||MRN-1\r");

    [Fact]
    public async Task CertificateWithTheChannelScope_Accepted()
    {
        await using var client = Client(_labPort);
        var ack = Encoding.ASCII.GetString(await client.SendAsync(Message("OK-1"), TestContext.Current.CancellationToken));
        Assert.Contains("MSA|AA|OK-1", ack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutTheChannelScope_RefusedWithAr_ConnectionKept()
    {
        await using var client = Client(_pharmacyPort);
        for (var i = 0; i < 2; i++)
        {
            var ack = Encoding.ASCII.GetString(await client.SendAsync(Message($"NO-{i}"), TestContext.Current.CancellationToken));
            Assert.Contains($"MSA|AR|NO-{i}", ack, StringComparison.Ordinal);
            Assert.Contains("channel:pharmacy:send", ack, StringComparison.Ordinal);
            Assert.True(client.IsConnected);
        }
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "out", "pharmacy")) && Directory.EnumerateFiles(Path.Combine(_data.Path, "out", "pharmacy")).Any());
    }

    [Fact]
    public async Task ThrottledChannel_SlowsTheSender_EveryMessageAccepted_AndCounted()
    {
        await using var client = Client(_labPort);
        for (var i = 0; i < 5; i++)
        {
            var ack = Encoding.ASCII.GetString(await client.SendAsync(Message($"T-{i}"), TestContext.Current.CancellationToken));
            Assert.Contains($"MSA|AA|T-{i}", ack, StringComparison.Ordinal);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("X-API-Key", _metricsKey);
        using var response = await _sinew!.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var metrics = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("sinew_throttled", metrics, StringComparison.Ordinal);
        Assert.Contains("transport=\"mllp\"", metrics, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sinew is not null)
        {
            await _sinew.DisposeAsync();
        }
        _config.Dispose();
        _data.Dispose();
    }
}
