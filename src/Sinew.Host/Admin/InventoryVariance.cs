using System.Globalization;
using System.Text.Json;
using Sinew.Canonical;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Host.Admin;

/// <summary>One product at one storage location of one ERP ledger: what the clinics recorded through Sinew, what the ERP booked, the gap.</summary>
public sealed record VarianceRow(string Ledger, string Product, string Location, decimal Recorded, decimal Booked, decimal Difference);

/// <summary>The inventory variance report over a period (dates inclusive), with the channels that feed each ledger.</summary>
public sealed record VarianceReport(DateOnly From, DateOnly To, IReadOnlyList<VarianceRow> Rows, IReadOnlyDictionary<string, IReadOnlyList<string>> Sources, IReadOnlyList<string> Problems);

/// <summary>
/// Builds the variance report: for every ERP ledger that destinations post to (an <see cref="IInventoryLedger"/>), the
/// InventoryConsumption records Sinew accepted for it with a date in the period, summed per product and location over
/// every channel that feeds it, against what the ERP booked as consumed for the same days. A difference is leakage or a
/// posting gap: a message still queued or dead-lettered, a posting made by hand in the ERP, or a mapping that changed.
/// </summary>
internal static class InventoryVariance
{
    private const int PageSize = 500;

    public static async Task<VarianceReport> BuildAsync(IJournal journal, SinewConfig config, DateOnly from, DateOnly to, string? channelFilter, CancellationToken cancellationToken)
    {
        var rows = new List<VarianceRow>();
        var problems = new List<string>();
        var sources = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var ledgers = config.Channels
            .Where(c => channelFilter is null || string.Equals(c.Name, channelFilter, StringComparison.OrdinalIgnoreCase))
            .SelectMany(c => c.Destinations.Where(d => d.Connector is IInventoryLedger).Select(d => (Channel: c.Name, Destination: d.Name, Ledger: (IInventoryLedger)d.Connector)))
            .GroupBy(x => x.Ledger.LedgerName, StringComparer.Ordinal);
        foreach (var ledger in ledgers)
        {
            sources[ledger.Key] = ledger.Select(x => $"{x.Channel}/{x.Destination}").ToList();
            var recorded = new Dictionary<(string Product, string Location), decimal>();
            foreach (var (channel, destination, _) in ledger)
            {
                await RecordedAsync(journal, channel, destination, from, to, recorded, cancellationToken);
            }
            IReadOnlyDictionary<(string Product, string Location), decimal> booked;
            try
            {
                var locations = recorded.Keys.Select(k => k.Location).Distinct(StringComparer.Ordinal).ToList();
                booked = locations.Count == 0
                    ? new Dictionary<(string, string), decimal>()
                    : await ledger.First().Ledger.ConsumedAsync(from, to, locations, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                problems.Add($"{ledger.Key}: the ERP could not be read: {ex.Message}");
                continue;
            }
            foreach (var key in recorded.Keys.Union(booked.Keys).OrderBy(k => k.Location, StringComparer.Ordinal).ThenBy(k => k.Product, StringComparer.Ordinal))
            {
                var mine = recorded.GetValueOrDefault(key);
                var theirs = booked.GetValueOrDefault(key);
                rows.Add(new VarianceRow(ledger.Key, key.Product, key.Location, mine, theirs, mine - theirs));
            }
        }
        return new VarianceReport(from, to, rows, sources, problems);
    }

    /// <summary>Sums the consumption records queued for one destination whose date (as the source wrote it) falls in the period.</summary>
    private static async Task RecordedAsync(
        IJournal journal, string channel, string destination, DateOnly from, DateOnly to, Dictionary<(string Product, string Location), decimal> totals, CancellationToken cancellationToken)
    {
        // Records can arrive late; look at messages received from a day before the period to well after it.
        var query = new MessageQuery
        {
            Channel = channel,
            Status = MessageStatus.Processed,
            From = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            Limit = PageSize,
        };
        while (true)
        {
            var page = await journal.SearchAsync(query, cancellationToken);
            foreach (var message in page.Items)
            {
                foreach (var entry in await journal.GetOutboxEntriesAsync(message.Id, withPayload: true, cancellationToken))
                {
                    if (entry.Destination == destination && entry.Status != DeliveryStatus.Discarded && CanonicalJson.IsCanonical(entry.ContentType))
                    {
                        Add(entry.Payload, from, to, totals);
                    }
                }
            }
            if (page.NextCursor is null)
            {
                return;
            }
            query = query with { Cursor = page.NextCursor };
        }
    }

    private static void Add(ReadOnlyMemory<byte> payload, DateOnly from, DateOnly to, Dictionary<(string, string), decimal> totals)
    {
        using var document = JsonDocument.Parse(payload);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var record in document.RootElement.EnumerateArray())
        {
            if (!record.TryGetProperty("schema", out var schema) || schema.GetString() != "InventoryConsumption/1"
                || !record.TryGetProperty("occurredAt", out var at) || !DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var occurred)
                || !record.TryGetProperty("storageLocation", out var location) || !record.TryGetProperty("lines", out var lines))
            {
                continue;
            }
            var day = DateOnly.FromDateTime(occurred.DateTime);
            if (day < from || day > to)
            {
                continue;
            }
            foreach (var line in lines.EnumerateArray())
            {
                if (line.TryGetProperty("erpProduct", out var product) && line.TryGetProperty("quantity", out var quantity) && quantity.TryGetDecimal(out var amount))
                {
                    var key = (product.GetString()!, location.GetString()!);
                    totals[key] = totals.GetValueOrDefault(key) + amount;
                }
            }
        }
    }
}
