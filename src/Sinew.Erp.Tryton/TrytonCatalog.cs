using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Tryton ids of locations, products and units looked up by code and kept: codes are stable, so after the first
/// message each lookup costs nothing, and a batch looks up all its new codes in one call per model.
/// </summary>
internal sealed class TrytonCatalog
{
    private readonly TrytonClient _client;
    private readonly ConcurrentDictionary<string, long> _locations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProductRef> _products = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _units = new(StringComparer.Ordinal);

    public TrytonCatalog(TrytonClient client) => _client = client;

    /// <summary>Looks up every code not known yet (one call per model at most).</summary>
    public async Task ResolveAsync(IEnumerable<string> locationCodes, IEnumerable<string> productCodes, IEnumerable<string> unitSymbols, CancellationToken cancellationToken)
    {
        var locations = locationCodes.Distinct(StringComparer.Ordinal).Where(c => !_locations.ContainsKey(c)).ToList();
        if (locations.Count > 0)
        {
            foreach (var row in await _client.SearchReadAsync("stock.location", Codes("code", locations), ["code"], cancellationToken))
            {
                _locations.TryAdd(TrytonValue.ToText(row["code"]), TrytonValue.ToId(row["id"])!.Value);
            }
        }
        var products = productCodes.Distinct(StringComparer.Ordinal).Where(c => !_products.ContainsKey(c)).ToList();
        if (products.Count > 0)
        {
            foreach (var row in await _client.SearchReadAsync("product.product", Codes("code", products), ["code", "default_uom"], cancellationToken))
            {
                _products.TryAdd(TrytonValue.ToText(row["code"]), new ProductRef(TrytonValue.ToId(row["id"])!.Value, TrytonValue.ToId(row["default_uom"]) ?? 0));
            }
        }
        var units = unitSymbols.Distinct(StringComparer.Ordinal).Where(c => !_units.ContainsKey(c)).ToList();
        if (units.Count > 0)
        {
            foreach (var row in await _client.SearchReadAsync("product.uom", Codes("symbol", units), ["symbol"], cancellationToken))
            {
                _units.TryAdd(TrytonValue.ToText(row["symbol"]), TrytonValue.ToId(row["id"])!.Value);
            }
        }
    }

    public bool TryGetLocation(string code, out long id) => _locations.TryGetValue(code, out id);

    public bool TryGetProduct(string code, out ProductRef product) => _products.TryGetValue(code, out product);

    public bool TryGetUnit(string symbol, out long id) => _units.TryGetValue(symbol, out id);

    private static JsonArray Codes(string field, IEnumerable<string> values) =>
        TrytonValue.Domain(TrytonValue.Clause(field, "in", TrytonValue.Strings(values)));
}

/// <summary>A product's id and default unit of measure.</summary>
internal readonly record struct ProductRef(long Id, long DefaultUom);
