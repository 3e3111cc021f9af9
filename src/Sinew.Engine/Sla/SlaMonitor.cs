using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Engine.Sla;

/// <summary>
/// Evaluates every channel's objectives on an interval, keeps their state, exposes it as metrics, and sends an alert
/// on each breach and each recovery (not on every evaluation; optionally a reminder while a breach lasts).
/// </summary>
public sealed class SlaMonitor : IAsyncDisposable
{
    private readonly SinewConfig _config;
    private readonly IJournal _journal;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<(string Channel, string Name), SlaStatus> _states = [];
    private readonly Dictionary<(string Channel, string Name), DateTimeOffset> _lastAlert = [];
    private readonly Queue<object> _unsent = new();
    private readonly Meter _meter;
    private readonly object _gate = new();

    public SlaMonitor(SinewConfig config, IJournal journal, ILogger<SlaMonitor> logger, TimeProvider? time = null, IMeterFactory? meters = null)
    {
        _config = config;
        _journal = journal;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _meter = meters?.Create("Sinew") ?? new Meter("Sinew");
        _meter.CreateObservableGauge("sinew.sla.breached", () => Current.Select(s => new Measurement<int>(s.State == "breached" ? 1 : 0, new("channel", s.Channel), new("sla", s.Name))), description: "1 while an objective is breached");
    }

    /// <summary>The state of every objective as of the last evaluation.</summary>
    public IReadOnlyList<SlaStatus> Current
    {
        get
        {
            lock (_gate)
            {
                return _states.Values.OrderBy(s => s.Channel, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateAsync(cancellationToken);
                await Task.Delay(_config.SlaInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "SLA evaluation failed; trying again in {Interval}", _config.SlaInterval);
                await Task.Delay(_config.SlaInterval, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Evaluates every objective now and sends the alerts that follow.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var queues = await _journal.GetQueuesAsync(cancellationToken);
        var counts = await _journal.GetChannelCountsAsync(cancellationToken);
        foreach (var channel in _config.Channels)
        {
            foreach (var sla in channel.Slas)
            {
                var (state, value, detail) = await MeasureAsync(channel.Name, sla, now, queues, counts, cancellationToken);
                SlaStatus? previous;
                lock (_gate)
                {
                    _states.TryGetValue((channel.Name, sla.Name), out previous);
                    var since = previous is not null && previous.State == state ? previous.Since : now;
                    _states[(channel.Name, sla.Name)] = new SlaStatus(channel.Name, sla.Name, sla.Describe(), state, value, detail, since, now);
                }
                var changed = previous?.State != state && (state == "breached" || previous?.State == "breached");
                var remind = state == "breached" && _config.AlertRepeat is { } repeat && _lastAlert.TryGetValue((channel.Name, sla.Name), out var last) && now - last >= repeat;
                if (changed || remind)
                {
                    var kind = state == "breached" ? (changed ? "breach" : "reminder") : "recovery";
                    _logger.LogWarning("SLA {Sla} of channel {Channel}: {Kind} ({Detail})", sla.Name, channel.Name, kind, detail);
                    _lastAlert[(channel.Name, sla.Name)] = now;
                    _unsent.Enqueue(new { channel = channel.Name, sla = sla.Name, objective = sla.Describe(), state = kind, value, detail, at = now });
                }
            }
        }
        await SendAlertsAsync(cancellationToken);
    }

    private async Task<(string State, double? Value, string Detail)> MeasureAsync(string channel, SlaDefinition sla, DateTimeOffset now, IReadOnlyList<QueueInfo> queues, IReadOnlyList<ChannelCounts> counts, CancellationToken cancellationToken)
    {
        switch (sla.Kind)
        {
            case SlaKind.DeliveredWithin:
                var (onTime, late) = await _journal.GetDeliveryTimelinessAsync(channel, now - sla.Window, sla.Within, now, cancellationToken);
                if (onTime + late == 0)
                {
                    return ("ok", null, "no deliveries in the window");
                }
                var percent = 100.0 * onTime / (onTime + late);
                return (percent >= sla.Percent ? "ok" : "breached", Math.Round(percent, 2), $"{percent:0.##} % on time ({onTime} of {onTime + late})");
            case SlaKind.OldestQueued:
                var oldest = queues.Where(q => q.Channel == channel && q.OldestAt is not null).Select(q => (now - q.OldestAt!.Value).TotalSeconds).DefaultIfEmpty(0).Max();
                return (oldest < sla.MaxAge.TotalSeconds ? "ok" : "breached", Math.Round(oldest, 1), $"oldest queued entry {oldest:0.#} s old");
            case SlaKind.ExceptionQueue:
                var depth = (counts.FirstOrDefault(c => c.Channel == channel)?.Failed ?? 0) + queues.Where(q => q.Channel == channel).Sum(q => q.DeadLetters);
                return (depth < sla.MaxCount ? "ok" : "breached", depth, $"{depth} in the exception queue");
            default:
                if (sla.Hours is { } hours)
                {
                    var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, sla.TimeZone).DateTime);
                    var inside = hours.Start <= hours.End ? local >= hours.Start && local < hours.End : local >= hours.Start || local < hours.End;
                    if (!inside)
                    {
                        return ("inactive", null, "outside its hours");
                    }
                }
                var lastReceived = await _journal.GetLastReceivedAsync(channel, cancellationToken);
                var silent = lastReceived is { } at ? (now - at).TotalSeconds : double.PositiveInfinity;
                return (silent < sla.MaxAge.TotalSeconds ? "ok" : "breached", double.IsInfinity(silent) ? null : Math.Round(silent, 1), lastReceived is null ? "no message received yet" : $"last message {silent:0} s ago");
        }
    }

    private async Task SendAlertsAsync(CancellationToken cancellationToken)
    {
        if (_config.AlertWebhook is not { } webhook)
        {
            _unsent.Clear();
            return;
        }
        while (_unsent.TryPeek(out var alert))
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(webhook, alert, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    _logger.LogWarning("Alert webhook answered {Status}; the alert is sent again at the next evaluation", (int)response.StatusCode);
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                _logger.LogWarning("Alert webhook unreachable ({Error}); the alert is sent again at the next evaluation", ex.HttpRequestError);
                return;
            }
            _unsent.Dequeue();
        }
        while (_unsent.Count > 1000)
        {
            _unsent.Dequeue(); // Bounded: the oldest alerts go first when the webhook is down for long.
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _meter.Dispose();
        return ValueTask.CompletedTask;
    }
}
