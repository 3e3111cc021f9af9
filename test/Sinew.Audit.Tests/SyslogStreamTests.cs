using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sinew.Audit.Tests.Syslog;

namespace Sinew.Audit.Tests;

/// <summary>
/// The audit log streamed as RFC 5424 over TLS (RFC 5425) by the real <c>sinew run</c> to a real rsyslogd with the gtls
/// driver: every record in chain order with its structured data, a server from another CA refused, a server outage
/// caught up exactly from the persisted cursor, and mutual TLS.
/// </summary>
public sealed class SyslogStreamTests : IAsyncDisposable
{
    private const string Canary = "CANARY-REASON-7c2e";
    private readonly TempFolder _folder = new();
    private readonly List<IAsyncDisposable> _running = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Config => _folder.Combine("config");

    private string Data => _folder.Combine("data");

    private async Task<RsyslogPeer> StartRsyslogAsync(TestPki pki, bool requireClientCertificate = false)
    {
        var peer = new RsyslogPeer(_folder.Combine("rsyslog-" + Guid.NewGuid().ToString("N")[..6]), pki, requireClientCertificate);
        _running.Add(peer);
        await peer.StartAsync(Ct);
        return peer;
    }

    private async Task<SinewProcess> StartSinewAsync()
    {
        var sinew = await SinewProcess.StartAsync(Config, Data);
        _running.Insert(0, sinew);
        return sinew;
    }

    private void WriteConfig(int port, string caFile, string extra = "")
    {
        _folder.Write("config/sinew.yaml", $"""
            audit:
              syslog:
                address: localhost:{port}
                ca: {caFile}
                appName: sinew-test
            {extra}
            """);
        _folder.Write("config/channels/feed.yaml", """
            name: feed
            source: {type: http}
            destinations: [{name: out, type: file, path: out, extension: .txt, maxSensitivity: phi}]
            """);
    }

    /// <summary>An audited act through the admin API: re-identifying an unknown token, recorded as token.resolve (failure).</summary>
    private static async Task ResolveUnknownTokenAsync(SinewProcess sinew, int i)
    {
        using var response = await sinew.Http.PostAsJsonAsync("api/v1/tokens/resolve", new { token = $"tok:r:UNKNOWN{i}", reason = $"{Canary} review {i}" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<List<JsonElement>> ExportAsync()
    {
        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--format", "jsonl");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        return export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private static async Task<JsonElement> StreamStatusAsync(SinewProcess sinew) =>
        (await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/audit/stream", Ct)).GetProperty("status");

    private static async Task<JsonElement> WaitForStatusAsync(SinewProcess sinew, Func<JsonElement, bool> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            var status = await StreamStatusAsync(sinew);
            if (condition(status))
            {
                return status;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"the audit stream never got to: {what}; last status {await StreamStatusAsync(sinew)}\n{sinew.Output}");
    }

    /// <summary>Waits for a log line: the console logger writes from its own queue, after the state the test saw changed.</summary>
    private static async Task WaitForOutputAsync(SinewProcess sinew, string text)
    {
        for (var i = 0; i < 300 && !sinew.Output.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.True(sinew.Output.Contains(text, StringComparison.Ordinal), $"sinew never logged '{text}':\n{sinew.Output}");
    }

    /// <summary>Every received message is the exported record of the same sequence: same hashes, action, actor, outcome, target.</summary>
    private static void AssertSameRecords(IReadOnlyList<JsonElement> exported, IReadOnlyList<ReceivedMessage> received)
    {
        Assert.Equal(exported.Select(e => e.GetProperty("sequence").GetInt64()), received.Select(r => r.Sequence));
        for (var i = 0; i < received.Count; i++)
        {
            var entry = exported[i];
            var record = entry.GetProperty("record");
            var message = received[i];
            Assert.Equal(entry.GetProperty("hash").GetString(), message.Params["hash"]);
            Assert.Equal(entry.GetProperty("previousHash").GetString(), message.Params["prev"]);
            Assert.Equal(record.GetProperty("action").GetString(), message.MessageId);
            Assert.Equal(record.GetProperty("action").GetString(), message.Params["action"]);
            Assert.Equal(record.GetProperty("actor").GetString(), message.Params["actor"]);
            Assert.Equal(record.GetProperty("outcome").GetString(), message.Params["outcome"]);
            Assert.Equal(record.GetProperty("target").GetString(), message.Params["target"]);
            Assert.False(message.Params.ContainsKey("reason"));
            // authpriv (10) * 8 + informational (6) for success, warning (4) for failure.
            Assert.Equal(record.GetProperty("outcome").GetString() == "success" ? 86 : 84, message.Priority);
            Assert.Equal("sinew-test", message.AppName);
        }
    }

    [Fact]
    public async Task Syslog_RecordsWrittenThroughTheAdminApi_ArriveInChainOrderWithTheirStructuredDataAndNoReason()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "localhost", "127.0.0.1");
        var rsyslog = await StartRsyslogAsync(pki);
        WriteConfig(rsyslog.Port, pki.CaFile);
        var sinew = await StartSinewAsync();
        for (var i = 0; i < 3; i++)
        {
            await ResolveUnknownTokenAsync(sinew, i);
        }

        var received = await rsyslog.WaitForAsync(4, () => sinew.Output, Ct);
        var exported = await ExportAsync();
        Assert.Equal(["config.change", "token.resolve", "token.resolve", "token.resolve"], received.Select(r => r.MessageId));
        AssertSameRecords(exported, received);
        Assert.Equal("token/tok:r:UNKNOWN2", received[3].Params["target"]);
        Assert.DoesNotContain(Canary, File.ReadAllText(rsyslog.ReceivedFile), StringComparison.Ordinal);

        var status = await WaitForStatusAsync(sinew, s => s.GetProperty("lag").GetInt64() == 0, "no lag");
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal(4, status.GetProperty("streamed").GetInt64());
        var metrics = await sinew.Http.GetStringAsync("metrics", Ct);
        Assert.Contains("sinew_audit_syslog_lag", metrics, StringComparison.Ordinal);
        await WaitForOutputAsync(sinew, "Audit stream connected to localhost:");
    }

    [Fact]
    public async Task Syslog_ServerStoppedWhileRecordsAreWritten_BacklogArrivesAfterRestartInOrderWithoutGapsOrDuplicates()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "localhost", "127.0.0.1");
        var rsyslog = await StartRsyslogAsync(pki);
        WriteConfig(rsyslog.Port, pki.CaFile);
        var sinew = await StartSinewAsync();
        await ResolveUnknownTokenAsync(sinew, 0);
        await rsyslog.WaitForAsync(2, () => sinew.Output, Ct);

        await rsyslog.StopAsync();
        for (var i = 1; i <= 6; i++)
        {
            await ResolveUnknownTokenAsync(sinew, i);
        }
        // The engine goes on while the SIEM is away: a message is taken and delivered.
        using (var content = new StringContent("MSH|^~\\&|A|B\r", Encoding.UTF8, "text/plain"))
        using (var accepted = await sinew.Http.PostAsync("in/feed", content, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        for (var i = 0; i < 200 && !(Directory.Exists(Path.Combine(Data, "out")) && Directory.GetFiles(Path.Combine(Data, "out")).Length > 0); i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.Single(Directory.GetFiles(Path.Combine(Data, "out")));
        var down = await WaitForStatusAsync(sinew, s => s.GetProperty("lag").GetInt64() == 6, "six records behind");
        Assert.False(down.GetProperty("connected").GetBoolean());
        Assert.NotNull(down.GetProperty("lastError").GetString());
        Assert.Equal(2, rsyslog.Received().Count);

        await rsyslog.StartAsync(Ct);
        var received = await rsyslog.WaitForAsync(8, () => sinew.Output, Ct);
        await WaitForStatusAsync(sinew, s => s.GetProperty("lag").GetInt64() == 0, "caught up");
        await Task.Delay(500, Ct); // anything sent twice would be in the file by now
        received = rsyslog.Received();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), received.Select(r => r.Sequence));
        AssertSameRecords(await ExportAsync(), received);
        await WaitForOutputAsync(sinew, $"Audit stream to localhost:{rsyslog.Port} is down");
    }

    [Fact]
    public async Task Syslog_SinewRestartedAndCliRecordsWrittenMeanwhile_ResumesFromItsCursorWithoutResending()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "localhost", "127.0.0.1");
        var rsyslog = await StartRsyslogAsync(pki);
        WriteConfig(rsyslog.Port, pki.CaFile);
        await using (var first = await SinewProcess.StartAsync(Config, Data))
        {
            await ResolveUnknownTokenAsync(first, 0);
            await rsyslog.WaitForAsync(2, () => first.Output, Ct);
            await WaitForStatusAsync(first, s => s.GetProperty("streamed").GetInt64() == 2, "two records streamed");
            Assert.Equal(0, await first.StopAsync());
        }

        // Written by another process while Sinew is down: the local admin creating an API key.
        var created = await SinewProcess.RunCliAsync("apikey", "create", "--name", "erp-feed", "--role", "operator", "--data", Data, "--config", Config);
        Assert.True(created.ExitCode == 0, created.Output + created.Error);
        var second = await StartSinewAsync();
        await ResolveUnknownTokenAsync(second, 1);

        var received = await rsyslog.WaitForAsync(4, () => second.Output, Ct);
        await WaitForStatusAsync(second, s => s.GetProperty("lag").GetInt64() == 0, "caught up");
        await Task.Delay(500, Ct); // anything sent twice would be in the file by now
        received = rsyslog.Received();
        Assert.Equal(["config.change", "token.resolve", "apikey.create", "token.resolve"], received.Select(r => r.MessageId));
        AssertSameRecords(await ExportAsync(), received);
    }

    [Fact]
    public async Task Syslog_ServerCertificateFromAnotherCa_RefusedWithAClearLogLineAndNothingSent()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "localhost", "127.0.0.1");
        var other = TestPki.Create(_folder.Combine("other-pki"), "localhost", "127.0.0.1");
        var rsyslog = await StartRsyslogAsync(pki);
        WriteConfig(rsyslog.Port, other.CaFile);
        var sinew = await StartSinewAsync();
        await ResolveUnknownTokenAsync(sinew, 0);

        var status = await WaitForStatusAsync(sinew, s => s.GetProperty("lastError").GetString() is not null, "a refusal");
        Assert.Contains("does not chain to the CA", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.False(status.GetProperty("connected").GetBoolean());
        Assert.Equal(2, status.GetProperty("lag").GetInt64());
        await WaitForOutputAsync(sinew, "refused the server's certificate: its certificate does not chain to the CA in " + other.CaFile);
        Assert.Empty(rsyslog.Received());
    }

    [Fact]
    public async Task Syslog_ServerCertificateForAnotherName_Refused()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "siem.example.org");
        var rsyslog = await StartRsyslogAsync(pki);
        WriteConfig(rsyslog.Port, pki.CaFile);
        var sinew = await StartSinewAsync();

        var status = await WaitForStatusAsync(sinew, s => s.GetProperty("lastError").GetString() is not null, "a refusal");
        Assert.Contains("not issued for the name 'localhost'", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(rsyslog.Received());
    }

    [Fact]
    public async Task Syslog_ServerRequiresAClientCertificate_MutualTlsDelivers()
    {
        Assert.SkipWhen(RsyslogPeer.Missing is not null, RsyslogPeer.Missing ?? "");
        var pki = TestPki.Create(_folder.Combine("pki"), "localhost", "127.0.0.1");
        var rsyslog = await StartRsyslogAsync(pki, requireClientCertificate: true);
        _folder.Write("config/sinew.yaml", $"""
            audit:
              syslog:
                address: localhost:{rsyslog.Port}
                ca: {pki.CaFile}
                clientCertificate: {pki.ClientCertificateFile}
                clientKey: {pki.ClientKeyFile}
                appName: sinew-test
                facility: local4
            """);
        _folder.Write("config/channels/feed.yaml", "name: feed\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out, maxSensitivity: phi}]\n");
        var sinew = await StartSinewAsync();
        await ResolveUnknownTokenAsync(sinew, 0);

        var received = await rsyslog.WaitForAsync(2, () => sinew.Output, Ct);
        Assert.Equal(["config.change", "token.resolve"], received.Select(r => r.MessageId));
        Assert.Equal((20 * 8) + 4, received[1].Priority);
    }

    [Fact]
    public async Task Validate_SyslogWithMissingCaAndBadAddress_NamesEachSetting()
    {
        _folder.Write("config/sinew.yaml", """
            audit:
              syslog:
                address: siem.example.org
                ca: certs/missing-ca.pem
                clientKey: certs/key.pem
            """);
        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", Config, "--data", Data);
        Assert.Equal(1, exit);
        Assert.Contains("audit.syslog.address", error, StringComparison.Ordinal);
        Assert.Contains("must be host:port", error, StringComparison.Ordinal);
        Assert.Contains("audit.syslog.ca", error, StringComparison.Ordinal);
        Assert.Contains("missing-ca.pem", error, StringComparison.Ordinal);
        Assert.Contains("audit.syslog.clientKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain("OK:", output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running)
        {
            await running.DisposeAsync();
        }
        _folder.Dispose();
    }
}
