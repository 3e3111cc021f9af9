using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Sinew.EndToEnd.Tests;

/// <summary>What an operator's tools see: Prometheus counters that match the traffic, and a trace that crosses Sinew.</summary>
public sealed partial class ObservabilityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [GeneratedRegex(@"^sinew_(?<name>[a-z_]+)_total\{(?<labels>[^}]*)\} (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    private static double Counter(string metrics, string name, string channel, string? destination = null) =>
        CounterLine().Matches(metrics)
            .Where(m => m.Groups["name"].Value == name && m.Groups["labels"].Value.Contains($"channel=\"{channel}\"", StringComparison.Ordinal)
                && (destination is null || m.Groups["labels"].Value.Contains($"destination=\"{destination}\"", StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Metrics_AfterARun_CountersMatchWhatWasSent_AndTheTraceReachesTheHttpDestination()
    {
        var port = Ports.Free();
        var received = new ConcurrentQueue<(string? TraceParent, string? IdempotencyKey)>();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        _ = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await receiver.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                received.Enqueue((context.Request.Headers["traceparent"], context.Request.Headers["Idempotency-Key"]));
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }, TestContext.Current.CancellationToken);
        _folder.Write("config/channels/obs.yaml", $$"""
            name: obs
            source: {type: http, requireUtf8: true}
            steps: [{type: validate, format: json}]
            destinations:
              - {name: archive, type: file, maxSensitivity: phi, path: out}
              - {name: webhook, type: http, maxSensitivity: phi, url: "http://127.0.0.1:{{port}}/hook"}
            """);
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "in/obs") { Content = new StringContent($"{{\"n\":{i}}}", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-00f067aa0ba902b{i}-01");
            using var response = await sinew.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using (var bad = await sinew.Http.PostAsync("in/obs", new StringContent("{not json", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, bad.StatusCode);
        }
        using (var rejected = await sinew.Http.PostAsync("in/obs", new ByteArrayContent([0xff, 0xfe]), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        }

        var metrics = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            metrics = await sinew.Http.GetStringAsync("metrics", TestContext.Current.CancellationToken);
            if (Counter(metrics, "deliveries_delivered", "obs", "webhook") == 7 && Counter(metrics, "deliveries_delivered", "obs", "archive") == 7)
            {
                break;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(9, Counter(metrics, "messages_received", "obs"));
        Assert.Equal(8, Counter(metrics, "messages_accepted", "obs"));
        Assert.Equal(1, Counter(metrics, "messages_rejected", "obs"));
        Assert.Equal(7, Counter(metrics, "messages_processed", "obs"));
        Assert.Equal(1, Counter(metrics, "messages_failed", "obs"));
        Assert.Equal(7, Counter(metrics, "deliveries_delivered", "obs", "archive"));
        Assert.Equal(7, Counter(metrics, "deliveries_delivered", "obs", "webhook"));
        Assert.Contains("sinew_receive_to_ack_duration_milliseconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("sinew_journal_commit_batch_size", metrics, StringComparison.Ordinal);

        Assert.Equal(7, received.Count);
        Assert.All(received, r => Assert.StartsWith($"00-{traceId}-", r.TraceParent, StringComparison.Ordinal));
        Assert.Equal(7, received.Select(r => r.IdempotencyKey).Distinct().Count());
    }

    public void Dispose() => _folder.Dispose();
}
