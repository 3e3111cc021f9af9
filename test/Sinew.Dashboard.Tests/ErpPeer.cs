using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sinew.Dashboard.Tests;

/// <summary>
/// A stand-in ERP endpoint on a free local port: it refuses every order with 400 (a permanent refusal, so the delivery is
/// dead-lettered at once) until the test says it has recovered, then accepts with 200 and keeps what it received.
/// </summary>
internal sealed class ErpPeer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _accepting;

    public ErpPeer()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/orders";

    /// <summary>Bodies accepted with 200.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    /// <summary>From now on, answer 200.</summary>
    public void Recover() => _accepting = true;

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (_accepting)
            {
                Accepted.Enqueue(body);
                context.Response.StatusCode = 200;
            }
            else
            {
                context.Response.StatusCode = 400;
                await using var writer = new StreamWriter(context.Response.OutputStream);
                await writer.WriteAsync("unknown cost center CC-999");
            }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }
}
