using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Sinew.Security.ApiKeys;

namespace Sinew.Security.Tests;

/// <summary>
/// One real <c>sinew run</c> listening on <c>https://127.0.0.1:0</c> with <c>security.https</c> asking for client
/// certificates from the partners' CA. Clients: <c>lab-analyzer</c> (by subject: <c>channel:lab:send</c>,
/// <c>fhir:SupplyDelivery.write</c>) and <c>pharmacy-robot</c> (by SHA-256 thumbprint: <c>channel:pharmacy:send</c>).
/// Channels: lab and pharmacy (http), supply (fhir SupplyDelivery). API keys: a sender for lab and an admin.
/// </summary>
public sealed class HttpsSinew : IAsyncLifetime
{
    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private SinewProcess? _sinew;

    internal SinewProcess Sinew => _sinew!;

    public string DataPath => _data.Path;

    public Uri BaseUrl => Sinew.BaseUrl;

    /// <summary>An API key holding <c>channel:lab:send</c>: a sender without a certificate.</summary>
    public string LabKey { get; private set; } = "";

    /// <summary>An API key with the admin role, to read channel counts.</summary>
    public string AdminKey { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var pki = HttpsPki.Instance;
        pki.WritePem(Path.Combine(_config.Path, "certs"));
        _config.Write("sinew.yaml", $"""
            security:
              clients:
                - id: lab-analyzer
                  certificateSubject: CN=lab-analyzer, O=Hospital
                  scopes: [channel:lab:send, fhir:SupplyDelivery.write]
                - id: pharmacy-robot
                  certificateThumbprint: {HttpsPki.Sha256Fingerprint(pki.Pharmacy)}
                  scopes: [channel:pharmacy:send]
              https:
                certificate: certs/sinew.crt
                key: certs/sinew.key
                clientCertificateAuthorities: certs/partners-ca.pem
            """);
        ArchiveChannels.Write(_config, "lab", "pharmacy");
        using (var store = SecurityStore.Open(_data.Path))
        {
            LabKey = store.CreateKey("lab-gateway", ["channel:lab:send"], [], DateTimeOffset.UtcNow).Secret;
            AdminKey = store.CreateKey("admin", [], ["admin"], DateTimeOffset.UtcNow).Secret;
        }
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path, "https://127.0.0.1:0");
    }

    /// <summary>
    /// An HTTPS client that trusts only the partners' CA for the server and presents <paramref name="certificate"/>
    /// (or none) whatever CAs the server names, so a certificate of a foreign CA is really offered.
    /// </summary>
    public HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 server && ChainsTo(server, HttpsPki.Instance.Authority),
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="root"/> alone (the test CA, not the machine's store).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> with <paramref name="client"/>; the status and body.</summary>
    public static async Task<(int Status, string Body, string? ContentType)> PostAsync(HttpClient client, string path, string body, string contentType, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + apiKey);
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>How many messages channel <paramref name="name"/> has journaled, from the admin API (over HTTPS, with the admin key).</summary>
    public async Task<long> JournaledAsync(string name)
    {
        using var client = Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/channels");
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + AdminKey);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /api/v1/channels: {(int)response.StatusCode} {text}");
        using var channels = JsonDocument.Parse(text);
        return channels.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("counts").GetProperty("total").GetInt64();
    }

    /// <summary>The audit log's records (action, actor, reason), read with <c>sinew audit export --format jsonl</c>.</summary>
    public async Task<IReadOnlyList<(string Action, string Actor, string? Reason)>> AuditAsync()
    {
        var (code, output, error) = await SinewProcess.RunCliAsync("audit", "export", "--data", _data.Path, "--config", _config.Path, "--format", "jsonl");
        Assert.True(code == 0, $"sinew audit export: {error}");
        var records = new List<(string, string, string?)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var entry = JsonDocument.Parse(line);
            var record = entry.RootElement.GetProperty("record");
            records.Add((record.GetProperty("action").GetString()!, record.GetProperty("actor").GetString()!,
                record.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null));
        }
        return records;
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
