using System.Text.Json;

namespace Sinew.Engine.Config;

/// <summary>
/// Where a message's partition key comes from: <c>none</c> (each message stands alone), <c>header:NAME</c> (an HTTP
/// header, read at intake), <c>json:a.b</c> (a JSON property path in the body), or <c>fixed:VALUE</c>.
/// </summary>
public sealed record PartitionKeyExpression(PartitionKeySource Source, string Argument)
{
    public static PartitionKeyExpression None { get; } = new(PartitionKeySource.None, "");

    public static bool TryParse(string text, out PartitionKeyExpression expression, out string? error)
    {
        error = null;
        expression = None;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? "" : text[(colon + 1)..];
        switch (kind)
        {
            case "none":
                return true;
            case "header" when argument.Length > 0:
                expression = new(PartitionKeySource.Header, argument);
                return true;
            case "json" when argument.Length > 0:
                expression = new(PartitionKeySource.Json, argument);
                return true;
            case "fixed" when argument.Length > 0:
                expression = new(PartitionKeySource.Fixed, argument);
                return true;
            default:
                error = $"'{text}' is not a partition key expression (none, header:NAME, json:path.to.value, fixed:VALUE)";
                return false;
        }
    }

    /// <summary>Evaluates a body-based expression; null when the value is absent (the message then stands alone).</summary>
    public string? Evaluate(ReadOnlySpan<byte> body)
    {
        switch (Source)
        {
            case PartitionKeySource.Fixed:
                return Argument;
            case PartitionKeySource.Json:
                try
                {
                    var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
                    using var document = JsonDocument.ParseValue(ref reader);
                    var element = document.RootElement;
                    foreach (var part in Argument.Split('.'))
                    {
                        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                        {
                            return null;
                        }
                    }
                    return element.ValueKind is JsonValueKind.String ? element.GetString() : element.GetRawText();
                }
                catch (JsonException)
                {
                    return null;
                }
            default:
                return null;
        }
    }
}
