using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sinew.Reliability.Tests.Peers;

/// <summary>
/// A real HTTP server (Kestrel) standing in for an ERP: it answers what the test tells it to (200, 500, 429 with
/// Retry-After, slowly), records every request, and processes each idempotency key once, as a careful receiver does.
/// </summary>
internal sealed class RecordingHttpPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PeerRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _processed = new();
    private readonly ConcurrentQueue<string> _processedInOrder = new();
    private Func<string, string, PeerAnswer> _answer = (_, _) => PeerAnswer.Ok;

    private RecordingHttpPeer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Decides the answer from the idempotency key and the body; may be swapped while the test runs.</summary>
    public Func<string, string, PeerAnswer> Answer
    {
        get => Volatile.Read(ref _answer);
        set => Volatile.Write(ref _answer, value);
    }

    public IReadOnlyList<PeerRequest> Requests => [.. _requests];

    /// <summary>Bodies of the keys processed (first 2xx), in the order they were processed.</summary>
    public IReadOnlyList<string> ProcessedBodies => [.. _processedInOrder];

    /// <summary>Requests that repeated a key already processed (the receiver recognised and did not process again).</summary>
    public int Duplicates => _processed.Values.Sum(n => n - 1);

    public int ProcessedCount => _processed.Count;

    public static async Task<RecordingHttpPeer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
        });
        var app = builder.Build();
        var peer = new RecordingHttpPeer(app);
        app.Run(peer.HandleAsync);
        await app.StartAsync();
        peer.Port = new Uri(app.Urls.First()).Port;
        return peer;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var answer = Answer(key, body);
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _requests.Enqueue(new PeerRequest(DateTimeOffset.UtcNow, key, body, 499));
                return;
            }
        }
        _requests.Enqueue(new PeerRequest(DateTimeOffset.UtcNow, key, body, answer.Status));
        if (answer.Status is >= 200 and < 300 && key.Length > 0)
        {
            if (_processed.AddOrUpdate(key, 1, (_, n) => n + 1) == 1)
            {
                _processedInOrder.Enqueue(body);
            }
        }
        http.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(stop.Token);
        }
        await _app.DisposeAsync();
    }
}
