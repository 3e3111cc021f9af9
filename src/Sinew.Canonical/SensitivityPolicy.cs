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
        var outcome = Apply(payload, highest, PhiAction.Drop, tokenizer: null);
        return (outcome.Payload, outcome.Fields);
    }

    /// <summary>
    /// Acts on every field of <paramref name="payload"/> above <paramref name="highest"/>: drops it, replaces a scalar
    /// value by its token (objects and arrays above the class are dropped: a structure has no single value to stand for),
    /// or marks the whole payload blocked. Throws <see cref="InvalidDataException"/> when the payload is not canonical.
    /// </summary>
    public static PolicyOutcome Apply(ReadOnlySpan<byte> payload, Sensitivity highest, PhiAction action, IFieldTokenizer? tokenizer)
    {
        if (action == PhiAction.Tokenize && tokenizer is null)
        {
            throw new ArgumentNullException(nameof(tokenizer), "tokenize needs a tokenizer");
        }
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
        var fields = new List<string>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not JsonObject record || record["schema"]?.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidDataException($"record {i} has no schema, so its fields cannot be classified");
            }
            var id = record["schema"]!.GetValue<string>();
            var type = CanonicalCatalog.Find(id) ?? throw new InvalidDataException($"record {i} has an unknown schema '{id}'");
            Strip(record, type, "", highest, action == PhiAction.Block ? null : tokenizer, action, fields);
        }
        var names = fields.Distinct(StringComparer.Ordinal).ToList();
        if (action == PhiAction.Block)
        {
            return new PolicyOutcome(names.Count == 0 ? payload.ToArray() : [], names, names.Count > 0);
        }
        return new PolicyOutcome(JsonSerializer.SerializeToUtf8Bytes(records), names, false);
    }

    /// <summary>The token for one JSON scalar: strings by their text, numbers and booleans by their JSON text.</summary>
    private static JsonNode? TokenOf(JsonNode? value, IFieldTokenizer tokenizer) => value?.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(tokenizer.Tokenize(value.GetValue<string>())),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => JsonValue.Create(tokenizer.Tokenize(value.ToJsonString())),
        _ => null,
    };

    private static void Strip(JsonObject node, CanonicalType type, string prefix, Sensitivity highest, IFieldTokenizer? tokenizer, PhiAction action, List<string> removed)
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
                removed.Add(path);
                if (action == PhiAction.Block)
                {
                    continue;
                }
                if (action == PhiAction.Tokenize && tokenizer is not null && TokenOf(value, tokenizer) is { } token)
                {
                    node[key] = token;
                }
                else
                {
                    node.Remove(key);
                }
            }
            else if (value is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    Strip(item, type, path + "[].", highest, tokenizer, action, removed);
                }
            }
            else if (value is JsonObject child)
            {
                Strip(child, type, path + ".", highest, tokenizer, action, removed);
            }
        }
    }
}
