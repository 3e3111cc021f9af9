using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sinew.Core.Delivery;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Gathers the records of concurrent deliveries for a short window and posts them together, like a group commit:
/// Tryton spends most of a call's time on the call itself, so fifty shipments in one create and one call per
/// workflow step go several times faster than fifty one by one. Each caller still gets its own record's result.
/// </summary>
internal sealed partial class ShipmentBatcher : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ShipmentPoster _poster;
    private readonly int _batchSize;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _batches;

    public ShipmentBatcher(ShipmentPoster poster, int batchSize, TimeSpan window, ILogger logger)
    {
        _poster = poster;
        _batchSize = batchSize;
        _window = window;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Batches posted so far (each is one create and one call per workflow step).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Queues a record; the task ends when its shipment is done or has failed.</summary>
    public Task<DeliveryResult> PostAsync(ConsumptionRecord record)
    {
        var pending = new Pending(record, new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromResult(DeliveryResult.Transient("the Tryton destination is shutting down"));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stop))
            {
                var batch = new List<Pending>(_batchSize);
                Take(reader, batch);
                if (batch.Count < _batchSize && _window > TimeSpan.Zero)
                {
                    await GatherAsync(reader, batch, stop);
                }
                await PostBatchAsync(batch, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        while (reader.TryRead(out var left))
        {
            left.Completion.TrySetResult(DeliveryResult.Transient("the Tryton destination is shutting down"));
        }
    }

    private void Take(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    private async Task GatherAsync(ChannelReader<Pending> reader, List<Pending> batch, CancellationToken stop)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stop);
        window.CancelAfter(_window);
        try
        {
            while (batch.Count < _batchSize && await reader.WaitToReadAsync(window.Token))
            {
                Take(reader, batch);
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The window closed: post what came.
        }
    }

    private async Task PostBatchAsync(List<Pending> batch, CancellationToken stop)
    {
        Interlocked.Increment(ref _batches);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await _poster.PostAsync([.. batch.Select(p => p.Record)], stop);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
            LogBatch(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (TrytonException ex) when (!ex.IsTransient && batch.Count > 1)
        {
            // Tryton refused the batch as a whole (one bad record spoils its transaction): post each alone so only the bad one fails.
            LogFallback(batch.Count, ex.ErrorClass ?? "error");
            foreach (var pending in batch)
            {
                await PostAloneAsync(pending, stop);
            }
        }
        catch (TrytonException ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult(ToResult(ex));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult(DeliveryResult.Transient("the Tryton destination is shutting down"));
            }
            throw;
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private async Task PostAloneAsync(Pending pending, CancellationToken stop)
    {
        try
        {
            var results = await _poster.PostAsync([pending.Record], stop);
            pending.Completion.TrySetResult(results[0]);
        }
        catch (TrytonException ex)
        {
            pending.Completion.TrySetResult(ToResult(ex));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            pending.Completion.TrySetResult(DeliveryResult.Transient("the Tryton destination is shutting down"));
            throw;
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    public static DeliveryResult ToResult(TrytonException ex) =>
        ex.IsTransient ? DeliveryResult.Transient(ex.Message) : DeliveryResult.Permanent(ex.Message);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tryton: posted a batch of {Count} consumption record(s) in {Milliseconds:0} ms")]
    private partial void LogBatch(int count, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tryton refused a batch of {Count} consumption records ({ErrorClass}); posting them one by one")]
    private partial void LogFallback(int count, string errorClass);

    private sealed record Pending(ConsumptionRecord Record, TaskCompletionSource<DeliveryResult> Completion);
}
