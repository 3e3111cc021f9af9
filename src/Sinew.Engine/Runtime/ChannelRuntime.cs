using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Engine.Telemetry;

namespace Sinew.Engine.Runtime;

/// <summary>
/// Runs one channel: takes received messages from the inbox in order, runs its steps, and commits each outcome with
/// its outbox entries in one write; then wakes the destination workers.
/// </summary>
public sealed class ChannelRuntime : IAsyncDisposable
{
    private const int BatchSize = 256;
    private readonly IJournal _journal;
    private readonly ILogger _logger;
    private readonly AsyncSignal _signal = new();
    private readonly List<DeliveryWorker> _workers = [];
    private CancellationTokenSource? _stop;
    private Task? _loop;

    private readonly EngineMetrics _metrics;

    public ChannelRuntime(ChannelConfig config, IJournal journal, ILoggerFactory loggerFactory, TimeProvider time, EngineMetrics metrics)
    {
        Config = config;
        _journal = journal;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<ChannelRuntime>();
        foreach (var destination in config.Destinations)
        {
            _workers.Add(new DeliveryWorker(config, destination, journal, this, loggerFactory.CreateLogger<DeliveryWorker>(), time, metrics));
        }
    }

    public ChannelConfig Config { get; }

    public string Name => Config.Name;

    public bool IsPaused { get; private set; }

    public IReadOnlyList<DeliveryWorker> Workers => _workers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IsPaused = await _journal.IsPausedAsync(Name, cancellationToken);
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    /// <summary>Wakes the pipeline: a message was committed.</summary>
    public void Signal()
    {
        // A paused pipeline does not read the journal, so waking it per message would only cost a thread switch each.
        if (!IsPaused)
        {
            _signal.Set();
        }
    }

    /// <summary>Pausing holds the pipeline and deliveries; sources keep accepting and journaling.</summary>
    public async Task SetPausedAsync(bool paused, CancellationToken cancellationToken)
    {
        await _journal.SetPausedAsync(Name, paused, cancellationToken);
        IsPaused = paused;
        _signal.Set();
        foreach (var worker in _workers)
        {
            worker.Signal();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (IsPaused)
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }
                var batch = await _journal.ReadReceivedAsync(Name, 0, BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }
                var outcomes = new List<RouteOutcome>(batch.Count);
                foreach (var message in batch)
                {
                    outcomes.Add(await RunPipelineAsync(message, cancellationToken));
                }
                // Not cancellable: once the steps ran, their outcome is committed even while stopping.
                await _journal.RouteAsync(outcomes, CancellationToken.None);
                foreach (var outcome in outcomes)
                {
                    _metrics.Routed(Name, outcome.Status);
                }
                foreach (var worker in _workers)
                {
                    worker.Signal();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Channel {Channel} pipeline could not commit; retrying in 1 s", Name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Runs the steps on one message and decides its outcome; a step that throws fails the message, never the channel.</summary>
    public async Task<RouteOutcome> RunPipelineAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        using var pipeline = SinewActivity.StartFromStored("sinew.pipeline", message.TraceParent);
        pipeline?.SetTag("sinew.channel", Name);
        pipeline?.SetTag("sinew.message_id", message.Id);
        var outcome = await RunStepsAsync(message, cancellationToken);
        pipeline.SetOutcome(outcome.Status.ToString().ToLowerInvariant());
        return outcome;
    }

    private async Task<RouteOutcome> RunStepsAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        var context = new PipelineContext(message);
        foreach (var step in Config.Steps)
        {
            StepResult result;
            using var span = SinewActivity.Source.StartActivity("sinew.step");
            span?.SetTag("sinew.step", step.Name);
            try
            {
                result = await step.Step.ExecuteAsync(context, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                result = StepResult.Fail($"{ex.GetType().Name}: {ex.Message}");
            }
            span.SetOutcome(result.Outcome switch { StepOutcome.Continue => "passed", StepOutcome.Filter => "filtered", _ => "failed" });
            switch (result.Outcome)
            {
                case StepOutcome.Filter:
                    return new RouteOutcome(message.Id, MessageStatus.Filtered) { Generation = message.Generation, ErrorStep = step.Name, Error = result.Reason };
                case StepOutcome.Fail:
                    return RouteOutcome.Failed(message.Id, message.Generation, step.Name, result.Reason ?? "the step failed");
            }
        }

        var partition = context.PartitionKey
            ?? Config.PartitionKey.Evaluate(context.Body.Span)
            ?? (Config.Order == ChannelOrder.Strict ? "" : "m" + message.Id);
        var outbound = new List<OutboundMessage>(Config.Destinations.Count);
        if (context.Route is { } route)
        {
            foreach (var name in route)
            {
                if (!Config.Destinations.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return RouteOutcome.Failed(message.Id, message.Generation, "route", $"the route names '{name}', which is not a destination of this channel");
                }
            }
        }
        foreach (var destination in Config.Destinations)
        {
            if (context.Route is null || context.Route.Contains(destination.Name))
            {
                var body = context.Body;
                var contentType = context.ContentType;
                if (destination.Protection is { } protection)
                {
                    var copy = new PipelineContext(message) { Body = body, ContentType = contentType, PartitionKey = partition, Route = context.Route };
                    copy.Properties[ProtectionDestinationProperty] = destination.Name;
                    StepResult result;
                    try
                    {
                        result = await protection.ExecuteAsync(copy, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        // The protection could not run, so nothing may leave for this destination.
                        result = StepResult.Fail($"not sent to {destination.Name}: the PHI policy failed ({ex.GetType().Name})");
                    }
                    if (result.Outcome == StepOutcome.Fail)
                    {
                        outbound.Add(Blocked(destination.Name, partition, result.Reason ?? $"blocked by PHI policy for destination '{destination.Name}'"));
                        continue;
                    }
                    if (result.Outcome == StepOutcome.Filter)
                    {
                        continue;
                    }
                    body = copy.Body;
                    contentType = copy.ContentType;
                }
                else if (destination.MaxSensitivity is { } highest && Canonical.CanonicalJson.IsCanonical(contentType))
                {
                    try
                    {
                        var policy = Canonical.SensitivityPolicy.Apply(body.Span, highest, destination.PhiAction == Canonical.PhiAction.Block ? Canonical.PhiAction.Block : Canonical.PhiAction.Drop, tokenizer: null);
                        if (policy.Blocked)
                        {
                            outbound.Add(Blocked(destination.Name, partition, policy.BlockReason(destination.Name, highest)));
                            continue;
                        }
                        body = policy.Payload;
                    }
                    catch (InvalidDataException ex)
                    {
                        return RouteOutcome.Failed(message.Id, message.Generation, "policy", $"not sent to {destination.Name}: {ex.Message}");
                    }
                }
                outbound.Add(new OutboundMessage(destination.Name, partition, contentType, body));
            }
        }
        if (outbound.Count == 0)
        {
            return new RouteOutcome(message.Id, MessageStatus.Filtered) { Generation = message.Generation, ErrorStep = "route", Error = "no destination matched" };
        }
        return new RouteOutcome(message.Id, MessageStatus.Processed) { Generation = message.Generation, Outbound = outbound, PartitionKey = partition };
    }

    /// <summary>The pipeline property naming the destination a protection step runs for.</summary>
    public const string ProtectionDestinationProperty = "sinew.destination";

    /// <summary>An entry the journal puts straight into the exception queue: the reason names fields, never values.</summary>
    private static OutboundMessage Blocked(string destination, string partition, string reason) =>
        new(destination, partition, Canonical.BlockedDelivery.ContentType, System.Text.Encoding.UTF8.GetBytes(reason));

    /// <summary>Stops the pipeline after its current batch, then the destination workers (in-flight deliveries get <paramref name="grace"/>).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
        }
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Task.WhenAll(_workers.Select(w => w.StopAsync(grace)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
        _stop?.Dispose();
        _signal.Dispose();
    }
}
