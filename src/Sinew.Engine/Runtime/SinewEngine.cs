using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Sources;
using Sinew.Engine.Telemetry;

namespace Sinew.Engine.Runtime;

/// <summary>
/// The running engine: one <see cref="ChannelRuntime"/> per channel, the sources that feed them, and the retention
/// job. It is the intake every source commits through.
/// </summary>
public sealed class SinewEngine : IIntake, IAsyncDisposable
{
    private readonly Dictionary<string, ChannelRuntime> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _retention;
    private volatile bool _accepting;

    public SinewEngine(SinewConfig config, IJournal journal, ILoggerFactory loggerFactory, TimeProvider? time = null, EngineMetrics? metrics = null)
    {
        Config = config;
        Journal = journal;
        Metrics = metrics ?? new EngineMetrics();
        _ownsMetrics = metrics is null;
        _logger = loggerFactory.CreateLogger<SinewEngine>();
        foreach (var channel in config.Channels)
        {
            _channels[channel.Name] = new ChannelRuntime(channel, journal, loggerFactory, time ?? TimeProvider.System, Metrics);
        }
    }

    private readonly bool _ownsMetrics;
    private Task? _sampler;

    public EngineMetrics Metrics { get; }

    public SinewConfig Config { get; }

    public IJournal Journal { get; }

    public IReadOnlyCollection<ChannelRuntime> Channels => _channels.Values;

    /// <summary>True once every source is started and until stopping begins.</summary>
    public bool IsReady => _accepting;

    public ChannelRuntime? FindChannel(string name) => _channels.GetValueOrDefault(name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in _channels.Values)
        {
            await channel.StartAsync(cancellationToken);
        }
        foreach (var channel in _channels.Values)
        {
            await channel.Config.Source.StartAsync(this, cancellationToken);
        }
        _accepting = true;
        _retention = Task.Run(() => RetentionLoopAsync(_stop.Token), CancellationToken.None);
        _sampler = Task.Run(() => SampleLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask<AppendResult> SubmitAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (!_channels.TryGetValue(message.Channel, out var channel))
        {
            throw new ArgumentException($"unknown channel '{message.Channel}'", nameof(message));
        }
        // The trace of the message starts here (continuing the sender's traceparent when it gave one).
        using var receive = SinewActivity.StartFromStored("sinew.receive", message.TraceParent ?? SinewActivity.TraceParentOf(Activity.Current), ActivityKind.Server);
        receive?.SetTag("sinew.channel", message.Channel);
        AppendResult result;
        using (var append = SinewActivity.Source.StartActivity("sinew.journal.append"))
        {
            result = await Journal.AppendAsync(message with { TraceParent = SinewActivity.TraceParentOf(receive) ?? message.TraceParent }, cancellationToken);
            append?.SetTag("sinew.message_id", result.MessageId);
        }
        receive?.SetTag("sinew.message_id", result.MessageId);
        receive?.SetTag("sinew.duplicate", result.IsDuplicate);
        receive.SetOutcome(result.IsDuplicate ? "duplicate" : message.Status == MessageStatus.Rejected ? "rejected" : "accepted");
        Metrics.Intake(message.Channel, message.Status, result.IsDuplicate, message.ReceivedAt);
        if (!result.IsDuplicate && message.Status == MessageStatus.Received)
        {
            channel.Signal();
        }
        return result;
    }

    private async Task SampleLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Sampling queue metrics failed: {Error}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Reads queue depths, exception counts and circuit states into the metrics now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var queues = await Journal.GetQueuesAsync(cancellationToken);
        var counts = await Journal.GetChannelCountsAsync(cancellationToken);
        var exceptions = counts.ToDictionary(c => c.Channel, c => c.Failed + queues.Where(q => q.Channel == c.Channel).Sum(q => q.DeadLetters));
        var circuits = _channels.Values.SelectMany(c => c.Workers.Select(w => (c.Name, w.Destination, w.CircuitState switch { "open" => 2, "half-open" => 1, _ => 0 }))).ToList();
        Metrics.Sample(queues, exceptions, circuits);
    }

    /// <summary>Wakes a channel after an operator put messages back to work.</summary>
    public void Wake(string channel)
    {
        if (_channels.TryGetValue(channel, out var runtime))
        {
            runtime.Signal();
            foreach (var worker in runtime.Workers)
            {
                worker.Signal();
            }
        }
    }

    private async Task RetentionLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Config.RetentionInterval, cancellationToken);
                await RunRetentionAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Retention failed; it runs again in {Interval}", Config.RetentionInterval);
            }
        }
    }

    /// <summary>Prunes every channel to its retention now.</summary>
    public async Task<long> RunRetentionAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var channel in _channels.Values)
        {
            var removed = await Journal.PruneAsync(channel.Name, channel.Config.Retention, DateTimeOffset.UtcNow, cancellationToken);
            if (removed > 0)
            {
                _logger.LogInformation("Retention removed {Count} finished messages of channel {Channel}", removed, channel.Name);
            }
            total += removed;
        }
        return total;
    }

    /// <summary>Graceful stop: sources stop accepting, pipelines finish their batch, deliveries get <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        _accepting = false;
        await _stop.CancelAsync();
        foreach (var channel in _channels.Values)
        {
            try
            {
                await channel.Config.Source.StopAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Source of channel {Channel} did not stop cleanly", channel.Name);
            }
        }
        await Task.WhenAll(_channels.Values.Select(c => c.StopAsync(grace)));
        if (_retention is not null)
        {
            await _retention.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_sampler is not null)
        {
            await _sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            await channel.Config.Source.DisposeAsync();
            await channel.DisposeAsync();
        }
        _stop.Dispose();
        if (_ownsMetrics)
        {
            Metrics.Dispose();
        }
    }
}
