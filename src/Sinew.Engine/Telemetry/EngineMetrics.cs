using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sinew.Core.Journal;

namespace Sinew.Engine.Telemetry;

/// <summary>
/// The engine's metrics (meter <c>Sinew</c>): message counts per channel and destination, latencies, and queue
/// gauges sampled from the journal. Tags are channel and destination names only.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "Sinew";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _filtered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _receiveToAck;
    private readonly Histogram<double> _receiveToDelivered;
    private volatile Snapshot _snapshot = new([], new Dictionary<string, long>(), []);

    public EngineMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("sinew.messages.received", description: "Messages a source handed to the journal (duplicates included)");
        _accepted = _meter.CreateCounter<long>("sinew.messages.accepted", description: "Messages committed for processing");
        _rejected = _meter.CreateCounter<long>("sinew.messages.rejected", description: "Messages refused at intake and kept for inspection");
        _duplicates = _meter.CreateCounter<long>("sinew.messages.duplicates", description: "Repeats answered with the first response");
        _processed = _meter.CreateCounter<long>("sinew.messages.processed", description: "Messages the pipeline queued for delivery");
        _filtered = _meter.CreateCounter<long>("sinew.messages.filtered", description: "Messages a filter stopped on purpose");
        _failed = _meter.CreateCounter<long>("sinew.messages.failed", description: "Messages a pipeline step failed (exception queue)");
        _delivered = _meter.CreateCounter<long>("sinew.deliveries.delivered", description: "Deliveries a destination accepted");
        _deadLettered = _meter.CreateCounter<long>("sinew.deliveries.dead_lettered", description: "Deliveries moved to the exception queue");
        _retries = _meter.CreateCounter<long>("sinew.deliveries.retries", description: "Delivery tries that failed and will be retried");
        _receiveToAck = _meter.CreateHistogram<double>("sinew.receive_to_ack.duration", "ms", "From receipt to the durable commit that allows the acknowledgement");
        _receiveToDelivered = _meter.CreateHistogram<double>("sinew.receive_to_delivered.duration", "ms", "From receipt to delivery at a destination");
        _meter.CreateObservableGauge("sinew.queue.depth", () => Measure(_snapshot.Queues, q => q.Depth), description: "Entries waiting in a destination queue");
        _meter.CreateObservableGauge("sinew.queue.oldest_age", () => Measure(_snapshot.Queues, q => q.OldestAt is { } at ? (DateTimeOffset.UtcNow - at).TotalSeconds : 0.0), "s", "Age of the oldest waiting entry");
        _meter.CreateObservableGauge("sinew.exceptions.depth", () => _snapshot.Exceptions.Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>("channel", e.Key))), description: "Messages in the exception queue");
        _meter.CreateObservableGauge("sinew.circuit.state", () => _snapshot.Circuits.Select(c => new Measurement<int>(c.State, new("channel", c.Channel), new("destination", c.Destination))), description: "0 closed, 1 half-open, 2 open");
    }

    private static IEnumerable<Measurement<T>> Measure<T>(IReadOnlyList<QueueInfo> queues, Func<QueueInfo, T> value) where T : struct =>
        queues.Select(q => new Measurement<T>(value(q), new KeyValuePair<string, object?>("channel", q.Channel), new KeyValuePair<string, object?>("destination", q.Destination)));

    private static TagList Tags(string channel) => new() { { "channel", channel } };

    private static TagList Tags(string channel, string destination) => new() { { "channel", channel }, { "destination", destination } };

    public void Intake(string channel, MessageStatus status, bool duplicate, DateTimeOffset receivedAt)
    {
        _received.Add(1, Tags(channel));
        if (duplicate)
        {
            _duplicates.Add(1, Tags(channel));
            return;
        }
        (status == MessageStatus.Rejected ? _rejected : _accepted).Add(1, Tags(channel));
        _receiveToAck.Record((DateTimeOffset.UtcNow - receivedAt).TotalMilliseconds, Tags(channel));
    }

    public void Routed(string channel, MessageStatus status)
    {
        var counter = status switch
        {
            MessageStatus.Processed => _processed,
            MessageStatus.Filtered => _filtered,
            _ => _failed,
        };
        counter.Add(1, Tags(channel));
    }

    public void Delivered(string channel, string destination, DateTimeOffset receivedAt)
    {
        _delivered.Add(1, Tags(channel, destination));
        _receiveToDelivered.Record((DateTimeOffset.UtcNow - receivedAt).TotalMilliseconds, Tags(channel, destination));
    }

    public void DeadLettered(string channel, string destination) => _deadLettered.Add(1, Tags(channel, destination));

    public void Retry(string channel, string destination) => _retries.Add(1, Tags(channel, destination));

    /// <summary>Replaces the sampled queue state the gauges report.</summary>
    public void Sample(IReadOnlyList<QueueInfo> queues, IReadOnlyDictionary<string, long> exceptions, IReadOnlyList<(string Channel, string Destination, int State)> circuits) =>
        _snapshot = new Snapshot(queues, exceptions, circuits);

    public void Dispose() => _meter.Dispose();

    private sealed record Snapshot(IReadOnlyList<QueueInfo> Queues, IReadOnlyDictionary<string, long> Exceptions, IReadOnlyList<(string Channel, string Destination, int State)> Circuits);
}
