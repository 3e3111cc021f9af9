using System.Diagnostics.Metrics;

namespace Sinew.Mllp;

/// <summary>Counters of one listener on the <c>Sinew.Mllp</c> meter; tags carry the listener name and reasons, never content.</summary>
internal sealed class MllpMetrics : IDisposable
{
    public const string MeterName = "Sinew.Mllp";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _listener;
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _garbage;
    private readonly Counter<long> _rejections;

    public MllpMetrics(string listenerName, IMeterFactory? meterFactory, Func<DateTimeOffset?> certificateNotAfter)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _listener = new("sinew.mllp.listener", listenerName);
        _open = _meter.CreateUpDownCounter<long>("sinew.mllp.connections.open", "{connection}", "Connections open now.");
        _accepted = _meter.CreateCounter<long>("sinew.mllp.connections.accepted", "{connection}", "Connections served.");
        _frames = _meter.CreateCounter<long>("sinew.mllp.frames.received", "{frame}", "Complete frames handed to the handler.");
        _garbage = _meter.CreateCounter<long>("sinew.mllp.garbage.bytes", "By", "Bytes received outside any frame and skipped.");
        _rejections = _meter.CreateCounter<long>("sinew.mllp.rejections", "{rejection}", "Frames or connections refused, by reason.");
        _meter.CreateObservableGauge(
            "sinew.mllp.tls.certificate.expiry",
            () => certificateNotAfter() is { } notAfter
                ? [new Measurement<double>((notAfter - DateTimeOffset.UtcNow).TotalSeconds, _listener)]
                : Array.Empty<Measurement<double>>(),
            "s",
            "Seconds until the server certificate expires.");
    }

    public void ConnectionOpened()
    {
        _open.Add(1, _listener);
        _accepted.Add(1, _listener);
    }

    public void ConnectionClosed() => _open.Add(-1, _listener);

    public void FrameReceived() => _frames.Add(1, _listener);

    public void GarbageSkipped(long bytes) => _garbage.Add(bytes, _listener);

    public void Rejected(MllpRejection reason) =>
        _rejections.Add(1, _listener, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    public static string ReasonTag(MllpRejection reason) => reason switch
    {
        MllpRejection.FrameTooLarge => "frame_too_large",
        MllpRejection.HandlerFailed => "handler_failed",
        MllpRejection.FrameTimeout => "frame_timeout",
        MllpRejection.IdleTimeout => "idle_timeout",
        MllpRejection.GarbageLimit => "garbage_limit",
        MllpRejection.WriteTimeout => "write_timeout",
        MllpRejection.TooManyConnections => "too_many_connections",
        MllpRejection.TlsHandshakeFailed => "tls_handshake_failed",
        _ => "unknown",
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
