using System.Text.Json;
using System.Text.Json.Nodes;
using Sinew.Canonical.Model;

namespace Sinew.Canonical;

/// <summary>Every canonical type Sinew knows, by <c>Name/Version</c>.</summary>
public static class CanonicalCatalog
{
    private static readonly Dictionary<string, CanonicalType> Types = new[]
    {
        typeof(InventoryConsumption), typeof(Item), typeof(Location), typeof(CostCenter), typeof(Supplier), typeof(EncounterEvent),
    }.Select(t => new CanonicalType(t)).ToDictionary(t => t.Id, StringComparer.Ordinal);

    public static IEnumerable<CanonicalType> All => Types.Values.OrderBy(t => t.Id, StringComparer.Ordinal);

    public static CanonicalType? Find(string id) => Types.GetValueOrDefault(id);

    /// <summary>
    /// Checks a record against its type (required fields, types, no unknown fields) and writes it in canonical form with
    /// <c>schema</c> first. Returns the error (field and problem) instead when it does not conform.
    /// </summary>
    public static (JsonObject? Record, string? Error) Normalize(CanonicalType type, JsonObject record)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in record)
        {
            if (key != "schema")
            {
                copy[key] = value?.DeepClone();
            }
        }
        object? typed;
        try
        {
            typed = copy.Deserialize(type.ClrType, CanonicalJson.Options);
        }
        catch (JsonException ex)
        {
            return (null, $"does not fit {type.Id}: {Describe(ex)}");
        }
        if (typed is null)
        {
            return (null, $"does not fit {type.Id}: empty");
        }
        var written = (JsonObject)JsonSerializer.SerializeToNode(typed, type.ClrType, CanonicalJson.Options)!;
        var result = new JsonObject { ["schema"] = type.Id };
        foreach (var (key, value) in written.ToList())
        {
            written.Remove(key);
            result[key] = value;
        }
        return (result, null);
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return ex.Path is { Length: > 1 } path ? $"{path.TrimStart('$', '.')}: {text}" : text;
    }
}
