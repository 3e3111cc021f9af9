using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Telemetry;

namespace Sinew.Engine.Runtime;

/// <summary>
/// Delivers one destination's outbox: the head of each partition (or of the whole queue in strict order), several
/// partitions at a time. Each try runs through a circuit breaker and a timeout; a failure is retried later with
/// exponential backoff and jitter (durably scheduled in the journal, honouring <c>Retry-After</c>), and after the
/// last attempt the entry is dead-lettered. A failing entry holds back only its own partition.
/// </summary>
public sealed class DeliveryWorker : IAsyncDisposable
{
    private readonly ChannelConfig _channel;
    private readonly DestinationConfig _destination;
    private readonly IJournal _journal;
    private readonly ChannelRuntime _runtime;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<DeliveryResult> _pipeline;
    private readonly AsyncSignal _signal = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private DateTimeOffset _circuitOpenUntil;
    private Task? _loop;

    private readonly EngineMetrics _metrics;

    public DeliveryWorker(ChannelConfig channel, DestinationConfig destination, IJournal journal, ChannelRuntime runtime, ILogger logger, TimeProvider time, EngineMetrics metrics)
    {
        _metrics = metrics;
        _channel = channel;
        _destination = destination;
        _journal = journal;
        _runtime = runtime;
        _logger = logger;
        _time = time;
        var breaker = destination.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = new PredicateBuilder<DeliveryResult>()
                    .Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException)
                    .HandleResult(r => r.Outcome == DeliveryOutcome.Transient),
                OnOpened = args =>
                {
                    CircuitState = "open";
                    _logger.LogWarning("Circuit of destination {Channel}/{Destination} opened for {Seconds} s", _channel.Name, _destination.Name, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    CircuitState = "closed";
                    _logger.LogInformation("Circuit of destination {Channel}/{Destination} closed", _channel.Name, _destination.Name);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    CircuitState = "half-open";
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(destination.Timeout)
            .Build();
    }

    public string Destination => _destination.Name;

    /// <summary><c>closed</c>, <c>open</c> or <c>half-open</c>.</summary>
    public string CircuitState { get; private set; } = "closed";

    public void Start() => _loop = Task.Run(RunAsync, CancellationToken.None);

    public void Signal() => _signal.Set();

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow();
                if (_runtime.IsPaused)
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), stopping);
                    continue;
                }
                if (_circuitOpenUntil > now)
                {
                    await _signal.WaitAsync(_circuitOpenUntil - now, stopping);
                    continue;
                }
                var strict = _channel.Order == ChannelOrder.Strict;
                var entries = await _journal.ReadDeliverableAsync(_channel.Name, _destination.Name, now, strict, _destination.Concurrency * 4, stopping);
                if (entries.Count == 0)
                {
                    var next = await _journal.NextDueAsync(_channel.Name, _destination.Name, strict, stopping);
                    var wait = next is { } due ? Clamp(due - now) : TimeSpan.FromSeconds(2);
                    await _signal.WaitAsync(wait, stopping);
                    continue;
                }
                await Parallel.ForEachAsync(
                    entries,
                    new ParallelOptions { MaxDegreeOfParallelism = _destination.Concurrency, CancellationToken = CancellationToken.None },
                    async (entry, _) => await DeliverAsync(entry));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Delivery worker {Channel}/{Destination} failed; retrying in 1 s", _channel.Name, _destination.Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : wait;

    private async Task DeliverAsync(OutboxEntry entry)
    {
        if (_stopping.IsCancellationRequested || _circuitOpenUntil > _time.GetUtcNow())
        {
            return; // Left pending; picked up after restart or when the circuit closes.
        }
        var attempt = entry.Attempts + 1;
        using var span = SinewActivity.StartFromStored("sinew.deliver", entry.TraceParent, ActivityKind.Client);
        span?.SetTag("sinew.channel", _channel.Name);
        span?.SetTag("sinew.destination", _destination.Name);
        span?.SetTag("sinew.message_id", entry.MessageId);
        span?.SetTag("sinew.attempt", attempt);
        var started = Stopwatch.GetTimestamp();
        DeliveryResult result;
        try
        {
            result = await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Connector.DeliverAsync(state.Entry, token),
                (Connector: _destination.Connector, Entry: entry),
                _abort.Token);
        }
        catch (BrokenCircuitException ex)
        {
            span.SetOutcome("circuit-open");
            _circuitOpenUntil = _time.GetUtcNow() + (ex.RetryAfter ?? _destination.CircuitBreaker.BreakDuration);
            return; // Not tried, so not counted as an attempt.
        }
        catch (TimeoutRejectedException)
        {
            result = DeliveryResult.Transient($"timed out after {_destination.Timeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return; // Stopping: the entry stays pending and is delivered again (same idempotency key) after restart.
        }
        catch (Exception ex)
        {
            result = DeliveryResult.Transient($"{ex.GetType().Name}: {ex.Message}");
        }

        var now = _time.GetUtcNow();
        var record = new DeliveryAttempt
        {
            OutboxId = entry.Id,
            Attempt = attempt,
            At = now,
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Detail = Shorten(result.Detail),
            Outcome = DeliveryStatus.Delivered,
        };
        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                break;
            case DeliveryOutcome.Transient when attempt < _destination.Retry.MaxAttempts:
                var delay = Backoff.Delay(attempt, _destination.Retry.InitialDelay, _destination.Retry.MaxDelay, Random.Shared.NextDouble());
                if (result.RetryAfter is { } retryAfter && retryAfter > delay)
                {
                    delay = retryAfter;
                }
                record = record with { Outcome = DeliveryStatus.Pending, WillRetry = true, NextAttemptAt = now + delay };
                break;
            case DeliveryOutcome.Transient:
                record = record with { Outcome = DeliveryStatus.DeadLettered, Detail = Shorten($"gave up after {attempt} attempts: {result.Detail}") };
                break;
            default:
                record = record with { Outcome = DeliveryStatus.DeadLettered, Detail = Shorten($"refused: {result.Detail}") };
                break;
        }
        await _journal.RecordAttemptAsync(record, CancellationToken.None);
        span.SetOutcome(record.WillRetry ? "retry" : record.Outcome == DeliveryStatus.Delivered ? "delivered" : "dead-lettered");
        switch (record)
        {
            case { Outcome: DeliveryStatus.Delivered }:
                _metrics.Delivered(_channel.Name, _destination.Name, entry.ReceivedAt);
                break;
            case { WillRetry: true }:
                _metrics.Retry(_channel.Name, _destination.Name);
                break;
            default:
                _metrics.DeadLettered(_channel.Name, _destination.Name);
                break;
        }
        if (record.Outcome == DeliveryStatus.DeadLettered)
        {
            _logger.LogWarning("Message {MessageId} to {Channel}/{Destination} went to the exception queue: {Reason}", entry.MessageId, _channel.Name, _destination.Name, record.Detail);
        }
    }

    private static string? Shorten(string? text) => text is { Length: > 500 } ? text[..500] + "…" : text;

    /// <summary>Stops taking new entries; in-flight tries get <paramref name="grace"/> to finish, then are cancelled.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stopping.CancelAsync();
        _signal.Set();
        if (_loop is null)
        {
            return;
        }
        if (await Task.WhenAny(_loop, Task.Delay(grace)) != _loop)
        {
            await _abort.CancelAsync();
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _destination.Connector.DisposeAsync();
        _signal.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }
}
