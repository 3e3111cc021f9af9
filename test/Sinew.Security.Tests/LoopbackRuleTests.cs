namespace Sinew.Security.Tests;

/// <summary>The loopback rule: without a <c>security:</c> section Sinew starts only while nothing listens beyond loopback.</summary>
public sealed class LoopbackRuleTests : IDisposable
{
    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();

    private void WriteHttpChannel() => _config.Write("channels/adt.yaml", """
        name: adt
        source:
          type: http
        destinations:
          - name: archive
            type: file
            maxSensitivity: phi
            path: out/adt
        """);

    [Fact]
    public async Task NetworkHttpListener_WithoutSecurity_RefusesToStart_SayingHow()
    {
        WriteHttpChannel();
        var (code, _, error) = await SinewProcess.RunCliAsync("run", "--config", _config.Path, "--data", _data.Path, "--http", "0.0.0.0:0");
        Assert.Equal(2, code);
        Assert.Contains("no authentication is configured", error, StringComparison.Ordinal);
        Assert.Contains("security:", error, StringComparison.Ordinal);
        Assert.Contains("docs/security.md", error, StringComparison.Ordinal);
    }

    /// <summary>Runs Sinew (HTTP on loopback) with one MLLP channel listening on every interface; its exit code and stderr.</summary>
    private async Task<(int Code, string Error)> RunWithNetworkMllpChannelAsync()
    {
        _config.Write("channels/lab.yaml", $"""
            name: lab
            source:
              type: mllp
              listen: 0.0.0.0:{Ports.Free()}
              validate: false
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/lab
            """);
        var (code, _, error) = await SinewProcess.RunCliAsync("run", "--config", _config.Path, "--data", _data.Path, "--http", "127.0.0.1:0");
        return (code, error);
    }

    [Fact]
    public async Task NetworkMllpListener_WithoutSecurity_RefusesToStart()
    {
        var (code, error) = await RunWithNetworkMllpChannelAsync();
        Assert.Equal(2, code);
        Assert.Contains("channel 'lab' listens for MLLP", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityOn_NetworkMllpWithoutMutualTls_RefusesToStart()
    {
        _config.Write("sinew.yaml", "security:\n  apiKeys: true\n");
        var (code, error) = await RunWithNetworkMllpChannelAsync();
        Assert.Equal(2, code);
        Assert.Contains("without mutual TLS", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackOnly_WithoutSecurity_RunsOpen_AndSaysSoInOneLine()
    {
        WriteHttpChannel();
        await using var sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
        Assert.Single(sinew.Output.Split('\n'), l => l.Contains(SecurityModule.OpenNotice, StringComparison.Ordinal));
        using var response = await sinew.Http.PostAsync("/in/adt", new StringContent("hello"));
        Assert.Equal(202, (int)response.StatusCode);
        Assert.False(File.Exists(Path.Combine(_data.Path, "token-signing-key.pem")), "an open Sinew creates no key files");
    }

    [Fact]
    public async Task SecurityOn_NetworkListener_Starts_AndRefusesAnonymous()
    {
        WriteHttpChannel();
        _config.Write("sinew.yaml", "security:\n  apiKeys: true\n");
        var port = Ports.Free();
        var process = System.Diagnostics.Process.Start(SinewProcess.StartInfo("run", "--config", _config.Path, "--data", _data.Path, "--http", $"0.0.0.0:{port}"))!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? response = null;
            for (var attempt = 0; attempt < 120 && response is null; attempt++)
            {
                try
                {
                    response = await http.PostAsync("/in/adt", new StringContent("hello"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250);
                }
            }
            Assert.NotNull(response);
            Assert.Equal(401, (int)response.StatusCode);
            var key = Path.Combine(_data.Path, "token-signing-key.pem");
            Assert.True(File.Exists(key));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose()
    {
        _config.Dispose();
        _data.Dispose();
    }
}
