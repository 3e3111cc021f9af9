using System.Text.Json.Nodes;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Reads stock figures back from Tryton, by product and location code, for reports that compare what the clinics
/// recorded with what the ERP holds (the variance report).
/// </summary>
public sealed class TrytonStock
{
    private readonly TrytonClient _client;

    public TrytonStock(TrytonClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>
    /// Quantities consumed, in each product's default unit: the done moves with an effective date in
    /// [<paramref name="from"/>, <paramref name="to"/>] from each storage location to the consumption location,
    /// summed by (product code, storage location code).
    /// </summary>
    public async Task<IReadOnlyDictionary<(string ProductCode, string LocationCode), decimal>> ConsumedAsync(
        DateOnly from, DateOnly to, IReadOnlyCollection<string> storageLocationCodes, string consumptionLocationCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storageLocationCodes);
        var locations = await LocationsAsync([.. storageLocationCodes, consumptionLocationCode], cancellationToken);
        var consumption = locations.GetValueOrDefault(consumptionLocationCode) is var c and > 0
            ? c
            : throw new TrytonException($"no Tryton location with code '{consumptionLocationCode}'", isTransient: false, "setup");
        var storageIds = storageLocationCodes.Where(locations.ContainsKey).ToDictionary(code => locations[code], code => code);
        var totals = new Dictionary<(string, string), decimal>();
        if (storageIds.Count == 0)
        {
            return totals;
        }
        var domain = TrytonValue.Domain(
            TrytonValue.Clause("state", "=", "done"),
            TrytonValue.Clause("effective_date", ">=", TrytonValue.Date(from)),
            TrytonValue.Clause("effective_date", "<=", TrytonValue.Date(to)),
            TrytonValue.Clause("from_location", "in", TrytonValue.Ids(storageIds.Keys)),
            TrytonValue.Clause("to_location", "=", consumption));
        var moves = await _client.SearchReadAsync("stock.move", domain, ["product", "from_location", "internal_quantity"], cancellationToken);
        if (moves.Count == 0)
        {
            return totals;
        }
        var productIds = moves.Select(m => TrytonValue.ToId(m["product"])!.Value).Distinct().ToList();
        var codes = (await _client.ReadAsync("product.product", productIds, ["code"], cancellationToken))
            .ToDictionary(p => TrytonValue.ToId(p["id"])!.Value, p => TrytonValue.ToText(p["code"]));
        foreach (var move in moves)
        {
            var key = (codes[TrytonValue.ToId(move["product"])!.Value], storageIds[TrytonValue.ToId(move["from_location"])!.Value]);
            totals[key] = totals.GetValueOrDefault(key) + TrytonValue.ToDecimal(move["internal_quantity"]);
        }
        return totals;
    }

    /// <summary>
    /// Quantity on hand at the end of day <paramref name="at"/> in a location (and its children), in each product's
    /// default unit, by product code; codes Tryton does not know are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, decimal>> OnHandAsync(IReadOnlyCollection<string> productCodes, string locationCode, DateOnly at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(productCodes);
        var locations = await LocationsAsync([locationCode], cancellationToken);
        if (!locations.TryGetValue(locationCode, out var location))
        {
            throw new TrytonException($"no Tryton location with code '{locationCode}'", isTransient: false, "setup");
        }
        var context = new JsonObject
        {
            ["locations"] = new JsonArray(location),
            ["stock_date_end"] = TrytonValue.Date(at),
        };
        var products = await _client.SearchReadAsync(
            "product.product",
            TrytonValue.Domain(TrytonValue.Clause("code", "in", TrytonValue.Strings(productCodes))),
            ["code", "quantity"],
            context,
            cancellationToken);
        return products.ToDictionary(p => TrytonValue.ToText(p["code"]), p => TrytonValue.ToDecimal(p["quantity"]), StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, long>> LocationsAsync(IEnumerable<string> codes, CancellationToken cancellationToken)
    {
        var rows = await _client.SearchReadAsync(
            "stock.location",
            TrytonValue.Domain(TrytonValue.Clause("code", "in", TrytonValue.Strings(codes.Distinct(StringComparer.Ordinal)))),
            ["code"],
            cancellationToken);
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            map.TryAdd(TrytonValue.ToText(row["code"]), TrytonValue.ToId(row["id"])!.Value);
        }
        return map;
    }
}
