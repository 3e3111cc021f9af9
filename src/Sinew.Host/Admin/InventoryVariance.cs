using System.Globalization;
using System.Text.Json;
using Sinew.Canonical;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Host.Admin;

/// <summary>One product at one storage location: what the clinics recorded through Sinew, what the ERP booked, the gap.</summary>
public sealed record VarianceRow(string Channel, string Destination, string Product, string Location, decimal Recorded, decimal Booked, decimal Difference);

/// <summary>The inventory variance report over a period (dates inclusive).</summary>
public sealed record VarianceReport(DateOnly From, DateOnly To, IReadOnlyList<VarianceRow> Rows, IReadOnlyList<string> Problems)
{
    public decimal TotalDifference => Rows.Sum(r => Math.Abs(r.Difference));
}

/// <summary>
/// Builds the variance report: for every destination that is an <see cref="IInventoryLedger"/> (the ERP), the
/// InventoryConsumption records Sinew accepted for it with a date in the period, summed per product and location,
/// against what the ERP booked as consumed for the same days. A difference is leakage or a posting gap: a message still
/// queued or dead-lettered, a posting made by hand in the ERP, or a mapping that changed.
/// </summary>
internal static class InventoryVariance
{
    private const int PageSize = 500;

    public static async Task<VarianceReport> BuildAsync(IJournal journal, SinewConfig config, DateOnly from, DateOnly to, string? channelFilter, CancellationToken cancellationToken)
    {
        var rows = new List<VarianceRow>();
        var problems = new List<string>();
        foreach (var channel in config.Channels.Where(c => channelFilter is null || string.Equals(c.Name, channelFilter, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var destination in channel.Destinations.Where(d => d.Connector is IInventoryLedger))
            {
                var recorded = await RecordedAsync(journal, channel.Name, destination.Name, from, to, cancellationToken);
                IReadOnlyDictionary<(string Product, string Location), decimal> booked;
                try
                {
                    var locations = recorded.Keys.Select(k => k.Location).Distinct(StringComparer.Ordinal).ToList();
                    booked = locations.Count == 0
                        ? new Dictionary<(string, string), decimal>()
                        : await ((IInventoryLedger)destination.Connector).ConsumedAsync(from, to, locations, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    problems.Add($"{channel.Name}/{destination.Name}: the ERP could not be read: {ex.Message}");
                    continue;
                }
                foreach (var key in recorded.Keys.Union(booked.Keys).OrderBy(k => k.Location, StringComparer.Ordinal).ThenBy(k => k.Product, StringComparer.Ordinal))
                {
                    var mine = recorded.GetValueOrDefault(key);
                    var theirs = booked.GetValueOrDefault(key);
                    rows.Add(new VarianceRow(channel.Name, destination.Name, key.Product, key.Location, mine, theirs, mine - theirs));
                }
            }
        }
        return new VarianceReport(from, to, rows, problems);
    }

    /// <summary>Sums the consumption records queued for one destination whose date (as the source wrote it) falls in the period.</summary>
    private static async Task<Dictionary<(string Product, string Location), decimal>> RecordedAsync(
        IJournal journal, string channel, string destination, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<(string, string), decimal>();
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
                foreach (var entry in await journal.GetOutboxEntriesAsync(message.Id, cancellationToken))
                {
                    if (entry.Destination == destination && entry.Status != DeliveryStatus.Discarded && CanonicalJson.IsCanonical(entry.ContentType))
                    {
                        Add(entry.Payload, from, to, totals);
                    }
                }
            }
            if (page.NextCursor is null)
            {
                return totals;
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
