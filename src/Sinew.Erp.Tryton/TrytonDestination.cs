using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Posts canonical <c>InventoryConsumption</c> records to Tryton as done internal shipments (storage location →
/// consumption location), so on-hand stock falls by what the clinic used. Each record is posted once per idempotency
/// key, even across retries and crashes, and concurrent deliveries share calls.
/// </summary>
public sealed class TrytonDestination : IDestination, IInventoryLedger
{
    private readonly TrytonClient _client;
    private readonly ShipmentBatcher _batcher;
    private readonly KeyedLock _keys = new();

    public TrytonDestination(TrytonDestinationSettings settings, ILogger<TrytonDestination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _client = new TrytonClient(settings.Connection, timeout: settings.CallTimeout);
        var poster = new ShipmentPoster(_client, new TrytonCatalog(_client), settings.ConsumptionLocation);
        _batcher = new ShipmentBatcher(poster, settings.BatchSize, settings.BatchWindow, (ILogger?)logger ?? NullLogger.Instance);
    }

    public TrytonDestinationSettings Settings { get; }

    /// <summary>JSON-RPC calls made so far (logins included): shows how well deliveries are batched.</summary>
    public long Calls => _client.Calls;

    /// <summary>Batches posted so far.</summary>
    public long Batches => _batcher.Batches;

    public static IDestination? Create(ConfigSection settings, ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var read = TrytonDestinationSettings.Read(settings);
        return read is null ? null : new TrytonDestination(read, context.LoggerFactory.CreateLogger<TrytonDestination>());
    }

    public async ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!ConsumptionPayload.TryRead(entry.ContentType, entry.Payload, entry.IdempotencyKey, out var records, out var error))
        {
            return DeliveryResult.Permanent(error);
        }
        var lease = await _keys.AcquireAsync(entry.IdempotencyKey, cancellationToken);
        var work = PostAllAsync(records);
        // The key stays held until Tryton has answered, even when this caller gives up (timeout): a retry must never
        // run next to a post of the same key still in flight.
        _ = work.ContinueWith(_ => lease.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await work.WaitAsync(cancellationToken);
    }

    private async Task<DeliveryResult> PostAllAsync(List<ConsumptionRecord> records)
    {
        var results = await Task.WhenAll(records.Select(_batcher.PostAsync));
        if (results.Length == 1)
        {
            return results[0];
        }
        if (results.All(r => r.Outcome == DeliveryOutcome.Delivered))
        {
            return DeliveryResult.Delivered($"{results.Length} records: " + string.Join("; ", results.Select(r => r.Detail)));
        }
        var worst = results.Any(r => r.Outcome == DeliveryOutcome.Transient) ? DeliveryOutcome.Transient : DeliveryOutcome.Permanent;
        var detail = string.Join("; ", results.Select((r, i) => (r, i)).Where(x => x.r.Outcome == worst).Select(x => $"record {x.i}: {x.r.Detail}"));
        return worst == DeliveryOutcome.Transient ? DeliveryResult.Transient(detail) : DeliveryResult.Permanent(detail);
    }

    public string LedgerName => $"tryton {Settings.Connection.Url}{Settings.Connection.Database} → {Settings.ConsumptionLocation}";

    /// <summary>What Tryton booked as consumed (done moves to this destination's consumption location), for the variance report.</summary>
    public Task<IReadOnlyDictionary<(string Product, string Location), decimal>> ConsumedAsync(
        DateOnly from, DateOnly to, IReadOnlyCollection<string> storageLocations, CancellationToken cancellationToken) =>
        new TrytonStock(_client).ConsumedAsync(from, to, storageLocations, Settings.ConsumptionLocation, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        _client.Dispose();
    }
}
