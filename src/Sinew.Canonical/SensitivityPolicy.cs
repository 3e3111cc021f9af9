using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Canonical;

/// <summary>
/// Takes out of a canonical payload every field above the class a destination may receive, before a byte of it is
/// queued for that destination. A record whose type is unknown cannot be classified, so it is refused, not passed.
/// </summary>
public static class SensitivityPolicy
{
    /// <summary>Parses a <c>Sensitivity</c> name as written in configuration (<c>public</c>, <c>internal</c>, <c>confidential</c>, <c>phi</c>, <c>restricted</c>).</summary>
    public static bool TryParse(string? text, out Sensitivity level) =>
        Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);

    /// <summary>
    /// Removes from each record of <paramref name="payload"/> (a JSON array of canonical records) the fields whose class is
    /// above <paramref name="highest"/>. Returns the new payload and the paths removed (for the audit), or throws
    /// <see cref="InvalidDataException"/> when the payload is not canonical.
    /// </summary>
    public static (byte[] Payload, IReadOnlyList<string> Removed) Drop(ReadOnlySpan<byte> payload, Sensitivity highest)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(payload, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("the canonical payload is not JSON: " + ex.Message, ex);
        }
        if (root is not JsonArray records)
        {
            throw new InvalidDataException("the canonical payload is not an array of records");
        }
        var removed = new List<string>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not JsonObject record || record["schema"]?.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidDataException($"record {i} has no schema, so its fields cannot be classified");
            }
            var id = record["schema"]!.GetValue<string>();
            var type = CanonicalCatalog.Find(id) ?? throw new InvalidDataException($"record {i} has an unknown schema '{id}'");
            Strip(record, type, "", highest, removed);
        }
        return (JsonSerializer.SerializeToUtf8Bytes(records), removed.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void Strip(JsonObject node, CanonicalType type, string prefix, Sensitivity highest, List<string> removed)
    {
        foreach (var (key, value) in node.ToList())
        {
            if (prefix.Length == 0 && key == "schema")
            {
                continue;
            }
            var path = prefix + key;
            if (type.ClassOf(path) > highest)
            {
                node.Remove(key);
                removed.Add(path);
            }
            else if (value is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    Strip(item, type, path + "[].", highest, removed);
                }
            }
            else if (value is JsonObject child)
            {
                Strip(child, type, path + ".", highest, removed);
            }
        }
    }
}
