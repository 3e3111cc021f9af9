using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Mapping.Inputs;

/// <summary>Dotted JSON paths with indexes (<c>order.items[0].code</c>); <c>$</c> or <c>.</c> is the current node.</summary>
public sealed class JsonScope(JsonNode? node) : IMappingScope
{
    public IReadOnlyList<string> Values(string path)
    {
        var target = Navigate(node, path);
        return target switch
        {
            null => [],
            JsonArray array => array.Select(Scalar).Where(v => v is { Length: > 0 }).Select(v => v!).ToList(),
            _ => Scalar(target) is { Length: > 0 } text ? [text] : [],
        };
    }

    public IEnumerable<IMappingScope> Each(string path) => Navigate(node, path) switch
    {
        JsonArray array => array.Select(item => new JsonScope(item)).ToList(),
        null => [],
        var single => [new JsonScope(single)],
    };

    private static string? Scalar(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => null,
    };

    private static JsonNode? Navigate(JsonNode? current, string path)
    {
        if (path is "$" or ".")
        {
            return current;
        }
        var text = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        foreach (var part in text.Split('.'))
        {
            var name = part;
            var indexes = new List<int>();
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                var rest = name[bracket..];
                name = name[..bracket];
                while (rest.Length > 0)
                {
                    var close = rest.IndexOf(']', StringComparison.Ordinal);
                    if (rest[0] != '[' || close < 0 || !int.TryParse(rest[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        throw new MappingException($"'{path}' is not a JSON path such as order.items[0].code");
                    }
                    indexes.Add(index);
                    rest = rest[(close + 1)..];
                }
            }
            if (name.Length > 0)
            {
                current = current is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
            }
            foreach (var index in indexes)
            {
                current = current is JsonArray array && index < array.Count ? array[index] : null;
            }
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }
}
