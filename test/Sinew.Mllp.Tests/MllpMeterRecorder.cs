using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Sinew.Mllp.Tests;

/// <summary>Collects the Sinew.Mllp measurements of one listener (by its unique name) while tests run in parallel.</summary>
internal sealed class MllpMeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _listenerName;
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MllpMeterRecorder(string listenerName)
    {
        _listenerName = listenerName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Sinew.Mllp")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Sum of an instrument, or of one reason of the rejection counter as <c>sinew.mllp.rejections/frame_timeout</c>.</summary>
    public long Total(string key) => _totals.GetValueOrDefault(key);

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? listener = null;
        string? reason = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "sinew.mllp.listener")
            {
                listener = tag.Value as string;
            }
            else if (tag.Key == "reason")
            {
                reason = tag.Value as string;
            }
        }

        if (listener != _listenerName)
        {
            return;
        }

        var key = reason is null ? instrument.Name : $"{instrument.Name}/{reason}";
        _totals.AddOrUpdate(key, value, (_, total) => total + value);
    }

    public void Dispose() => _listener.Dispose();
}
