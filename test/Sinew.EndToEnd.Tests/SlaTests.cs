using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Sinew.EndToEnd.Tests;

/// <summary>An SLA breach and its recovery reach the alert webhook once each.</summary>
public sealed class SlaTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>A tiny HTTP server: answers with the current status code and records the bodies it gets.</summary>
    private sealed class Endpoint : IDisposable
    {
        private readonly HttpListener _listener = new();

        public Endpoint(int port)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    try
                    {
                        var context = await _listener.GetContextAsync();
                        using (var reader = new StreamReader(context.Request.InputStream))
                        {
                            Bodies.Enqueue(await reader.ReadToEndAsync());
                        }
                        context.Response.StatusCode = Status;
                        context.Response.Close();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }
                }
            });
        }

        public volatile int Status = 204;

        public ConcurrentQueue<string> Bodies { get; } = new();

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task Sla_DestinationDown_AlertsBreachOnce_ThenRecoveryWhenItComesBack()
    {
        var (destinationPort, webhookPort) = (Ports.Free(), Ports.Free());
        using var destination = new Endpoint(destinationPort) { Status = 503 };
        using var webhook = new Endpoint(webhookPort);
        _folder.Write("config/sinew.yaml", $"alerts:\n  webhook: http://127.0.0.1:{webhookPort}/alerts\n  interval: 300ms\n");
        _folder.Write("config/channels/orders.yaml", $$"""
            name: orders
            source: {type: http}
            destinations:
              - name: erp
                type: http
                maxSensitivity: phi
                url: http://127.0.0.1:{{destinationPort}}/orders
                retry: {maxAttempts: 1000, initialDelay: 200ms, maxDelay: 300ms}
                circuitBreaker: {minimumThroughput: 1000}
            sla:
              - {name: queue-fresh, type: oldest-queued, max: 1s}
              - {name: few-exceptions, type: exception-queue, max: 10}
            """);
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));

        using (var posted = await sinew.Http.PostAsync("in/orders", new StringContent("order 1"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        await WaitAsync(() => !webhook.Bodies.IsEmpty, "the breach alert");
        var breach = JsonDocument.Parse(webhook.Bodies.First()).RootElement;
        Assert.Equal("breach", breach.GetProperty("state").GetString());
        Assert.Equal("queue-fresh", breach.GetProperty("sla").GetString());
        var status = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/sla", TestContext.Current.CancellationToken);
        Assert.Contains(status.EnumerateArray(), s => s.GetProperty("name").GetString() == "queue-fresh" && s.GetProperty("state").GetString() == "breached");
        Assert.Contains("sinew_sla_breached{", await sinew.Http.GetStringAsync("metrics", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(webhook.Bodies); // still breached: no alert on every evaluation

        destination.Status = 204;
        await WaitAsync(() => webhook.Bodies.Count >= 2, "the recovery alert");
        var recovery = JsonDocument.Parse(webhook.Bodies.Last()).RootElement;
        Assert.Equal("recovery", recovery.GetProperty("state").GetString());
        Assert.Equal("queue-fresh", recovery.GetProperty("sla").GetString());
        await Task.Delay(700, TestContext.Current.CancellationToken);
        Assert.Equal(2, webhook.Bodies.Count);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), "timed out waiting for " + what);
    }

    [Fact]
    public async Task Validate_BadSla_IsReportedWithItsSetting()
    {
        _folder.Write("bad/channels/a.yaml", "name: a\nsource: {type: http}\ndestinations: [{name: d, type: file, maxSensitivity: phi, path: x}]\nsla:\n  - {name: s, type: silence, hours: 'morning', timeZone: Mars/Olympus}\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Combine("bad"));

        Assert.Equal(1, exit);
        Assert.Contains("sla[0].hours", error, StringComparison.Ordinal);
        Assert.Contains("sla[0].timeZone", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
