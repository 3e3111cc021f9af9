namespace Sinew.Core.Delivery;

/// <summary>
/// A destination that keeps stock (an ERP) and can say what it booked as consumed, so Sinew can compare that with the
/// consumption it received from the clinics (the inventory variance report).
/// </summary>
public interface IInventoryLedger
{
    /// <summary>
    /// Names the stock ledger (system, database, consumption location) without secrets; destinations of several
    /// channels that post to the same ledger share one name, so the report compares their sum with the ledger once.
    /// </summary>
    string LedgerName { get; }

    /// <summary>
    /// Quantities booked as consumed with a date in [<paramref name="from"/>, <paramref name="to"/>], taken from each of
    /// <paramref name="storageLocations"/>, by (product code, storage location code).
    /// </summary>
    Task<IReadOnlyDictionary<(string Product, string Location), decimal>> ConsumedAsync(
        DateOnly from, DateOnly to, IReadOnlyCollection<string> storageLocations, CancellationToken cancellationToken);
}
