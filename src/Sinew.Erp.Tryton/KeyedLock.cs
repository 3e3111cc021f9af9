namespace Sinew.Erp.Tryton;

/// <summary>
/// One holder per key at a time. Tryton has no unique constraint on a shipment's reference, so two concurrent posts
/// of the same idempotency key would both create a shipment; this keeps them in turn (the second then finds the first).
/// </summary>
internal sealed class KeyedLock
{
    private readonly Dictionary<string, Holder> _holders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Holder holder;
        lock (_gate)
        {
            if (!_holders.TryGetValue(key, out holder!))
            {
                holder = new Holder();
                _holders[key] = holder;
            }
            holder.Users++;
        }
        try
        {
            await holder.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, holder);
            throw;
        }
        return new Lease(this, key, holder);
    }

    private void Leave(string key, Holder holder)
    {
        lock (_gate)
        {
            if (--holder.Users == 0)
            {
                _holders.Remove(key);
                holder.Semaphore.Dispose();
            }
        }
    }

    private sealed class Holder
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(KeyedLock owner, string key, Holder holder) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                holder.Semaphore.Release();
                owner.Leave(key, holder);
            }
        }
    }
}
