using Sinew.Core.Journal;

namespace Sinew.Core.Delivery;

/// <summary>
/// Where a channel sends messages (file, HTTP, MLLP, ERP, broker). Called once per outbox entry; every call
/// carries the entry's idempotency key, which the destination passes on so a repeat is not applied twice.
/// </summary>
public interface IDestination : IAsyncDisposable
{
    ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
