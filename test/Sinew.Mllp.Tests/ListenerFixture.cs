using System.Net;
using Microsoft.Extensions.Logging;

namespace Sinew.Mllp.Tests;

/// <summary>Starts a listener on 127.0.0.1 with a free port and a unique name, and stops it at the end of the test.</summary>
internal sealed class ListenerFixture : IAsyncDisposable
{
    private ListenerFixture(MllpListener listener, MllpListenerOptions options, IMllpFrameHandler handler, MllpMeterRecorder meters)
    {
        Listener = listener;
        Options = options;
        AnyHandler = handler;
        Meters = meters;
    }

    public MllpListener Listener { get; }

    public MllpListenerOptions Options { get; }

    public AckingHandler Handler => (AckingHandler)AnyHandler;

    public IMllpFrameHandler AnyHandler { get; }

    public MllpMeterRecorder Meters { get; }

    public IPEndPoint EndPoint => Listener.LocalEndPoint!;

    public static async Task<ListenerFixture> StartAsync(Func<MllpListenerOptions, MllpListenerOptions>? configure = null, IMllpFrameHandler? handler = null, ILogger<MllpListener>? logger = null)
    {
        var options = new MllpListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Name = $"test-{Guid.NewGuid():N}" };
        options = configure?.Invoke(options) ?? options;
        handler ??= new AckingHandler();
        var meters = new MllpMeterRecorder(options.Name);
        var listener = new MllpListener(options, handler, logger);
        await listener.StartAsync(TestContext.Current.CancellationToken);
        return new ListenerFixture(listener, options, handler, meters);
    }

    public MllpClient Client(MllpClientTlsOptions? tls = null) =>
        new(new MllpClientOptions { Host = "127.0.0.1", Port = EndPoint.Port, Tls = tls, ResponseTimeout = TimeSpan.FromSeconds(20) });

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Meters.Dispose();
    }
}
