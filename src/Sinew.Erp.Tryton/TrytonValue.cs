using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Tryton's JSON-RPC encodes dates and decimals as objects (<c>{"__class__": "date", …}</c>); these convert them both
/// ways so callers never build those objects by hand.
/// </summary>
public static class TrytonValue
{
    public static JsonObject Date(DateOnly date) => new()
    {
        ["__class__"] = "date",
        ["year"] = date.Year,
        ["month"] = date.Month,
        ["day"] = date.Day,
    };

    public static JsonObject DateTime(DateTime utc) => new()
    {
        ["__class__"] = "datetime",
        ["year"] = utc.Year,
        ["month"] = utc.Month,
        ["day"] = utc.Day,
        ["hour"] = utc.Hour,
        ["minute"] = utc.Minute,
        ["second"] = utc.Second,
        ["microsecond"] = (utc.Ticks % TimeSpan.TicksPerSecond) / 10,
    };

    public static JsonObject Decimal(decimal value) => new()
    {
        ["__class__"] = "Decimal",
        ["decimal"] = value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A number from a Tryton answer: a JSON number or a <c>Decimal</c> object; null, false or absent is 0.</summary>
    public static decimal ToDecimal(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return 0m;
            case JsonObject obj when obj["__class__"]?.GetValue<string>() == "Decimal":
                return decimal.Parse(obj["decimal"]?.GetValue<string>() ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                // Float fields come back as doubles (0.1 + 0.2 style noise); 10 places is far below any unit's rounding.
                return value.TryGetValue<decimal>(out var exact) ? exact : Math.Round((decimal)value.GetValue<double>(), 10);
            case JsonValue value when value.GetValueKind() is JsonValueKind.False or JsonValueKind.Null:
                return 0m;
            default:
                throw new FormatException($"'{node.ToJsonString()}' is not a Tryton number");
        }
    }

    /// <summary>A date from a Tryton answer, or null when the field is empty.</summary>
    public static DateOnly? ToDate(JsonNode? node) =>
        node is JsonObject obj && obj["__class__"]?.GetValue<string>() == "date"
            ? new DateOnly(obj["year"]!.GetValue<int>(), obj["month"]!.GetValue<int>(), obj["day"]!.GetValue<int>())
            : null;

    /// <summary>A record id or many2one value from a Tryton answer, or null when empty.</summary>
    public static long? ToId(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<long>() : null;

    /// <summary>A field shown as text (crosswalk columns): strings as is, numbers invariant, empty as "".</summary>
    public static string ToText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            _ => "",
        },
        JsonObject obj when obj["__class__"]?.GetValue<string>() == "Decimal" => obj["decimal"]?.GetValue<string>() ?? "",
        JsonObject obj when ToDate(obj) is { } date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    /// <summary>A JSON array of ids, for <c>[[ids], …]</c> arguments and <c>in</c> domains.</summary>
    public static JsonArray Ids(IEnumerable<long> ids) => new([.. ids.Select(id => (JsonNode?)JsonValue.Create(id))]);

    /// <summary>A JSON array of strings, for field lists and <c>in</c> domains.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>One domain clause: <c>[field, operator, value]</c>.</summary>
    public static JsonArray Clause(string field, string op, JsonNode? value) => new(JsonValue.Create(field), JsonValue.Create(op), value);

    /// <summary>A domain of clauses joined by AND.</summary>
    public static JsonArray Domain(params JsonArray[] clauses) => new([.. clauses.Cast<JsonNode?>()]);
}
