using System.Net;
using System.Text.Json;

namespace Sinew.EndToEnd.Tests;

/// <summary><c>logging: { format: json }</c> writes one JSON object per entry, with the trace id, and no message content.</summary>
public sealed class JsonLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task JsonLogs_DeadLetter_IsOneJsonObjectWithTheTraceIdAndNoContent()
    {
        _folder.Write("config/sinew.yaml", "logging:\n  format: json\n");
        _folder.Write("config/channels/logs.yaml", """
            name: logs
            source: {type: http}
            destinations: [{name: nowhere, type: http, maxSensitivity: phi, url: "http://127.0.0.1:9/refused", retry: {maxAttempts: 1}}]
            """);
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));

        using var response = await sinew.Http.PostAsync("in/logs", new StringContent("PID|1||CANARY-MRN-9981"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        string? line = null;
        for (var i = 0; i < 100 && line is null; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            line = sinew.Output.Split('\n').FirstOrDefault(l => l.Contains("exception queue", StringComparison.Ordinal));
        }
        Assert.NotNull(line);
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("Warning", entry.RootElement.GetProperty("LogLevel").GetString());
        Assert.Contains("TraceId", line, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", sinew.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
