using System.Text.Json;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Reads an outbox entry's canonical payload (a JSON array of consumption records) into records keyed
/// <c>{IdempotencyKey}#{index}</c>; anything else is refused with a reason that names the record and field, never a value.
/// </summary>
internal static class ConsumptionPayload
{
    public const string ContentType = "application/vnd.sinew.canonical+json";

    public static bool TryRead(string contentType, ReadOnlyMemory<byte> payload, string idempotencyKey, out List<ConsumptionRecord> records, out string error)
    {
        records = [];
        error = "";
        if (!contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            error = $"content type '{contentType}' is not {ContentType}; put a map step before a Tryton destination";
            return false;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            error = $"the canonical payload is not valid JSON (line {ex.LineNumber + 1})";
            return false;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "the canonical payload must be a JSON array of records";
                return false;
            }
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (!TryReadRecord(element, $"{idempotencyKey}#{index}", $"record {index}", out var record, out error))
                {
                    records.Clear();
                    return false;
                }
                records.Add(record);
                index++;
            }
            if (records.Count == 0)
            {
                error = "the canonical payload holds no record";
                return false;
            }
            return true;
        }
    }

    private static bool TryReadRecord(JsonElement element, string key, string where, out ConsumptionRecord record, out string error)
    {
        record = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} is not a JSON object";
            return false;
        }
        if (element.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.String
            && !(schema.GetString() ?? "").StartsWith("InventoryConsumption/", StringComparison.Ordinal))
        {
            error = $"{where}: schema '{schema.GetString()}' is not InventoryConsumption";
            return false;
        }
        if (!TryGetText(element, "storageLocation", out var storage))
        {
            error = $"{where}: storageLocation is missing or empty";
            return false;
        }
        DateOnly? occurredOn = null;
        if (element.TryGetProperty("occurredAt", out var occurred) && occurred.ValueKind == JsonValueKind.String)
        {
            if (!occurred.TryGetDateTimeOffset(out var at))
            {
                error = $"{where}: occurredAt is not an ISO 8601 date and time";
                return false;
            }
            occurredOn = DateOnly.FromDateTime(at.DateTime); // The date where it happened, in its own offset.
        }
        if (!element.TryGetProperty("lines", out var linesElement) || linesElement.ValueKind != JsonValueKind.Array || linesElement.GetArrayLength() == 0)
        {
            error = $"{where}: lines is missing or empty";
            return false;
        }
        var lines = new List<ConsumptionLine>();
        var number = 0;
        foreach (var line in linesElement.EnumerateArray())
        {
            var at = $"{where} line {number}";
            if (line.ValueKind != JsonValueKind.Object || !TryGetText(line, "erpProduct", out var product))
            {
                error = $"{at}: erpProduct is missing or empty";
                return false;
            }
            if (!line.TryGetProperty("quantity", out var quantityElement) || quantityElement.ValueKind != JsonValueKind.Number || !quantityElement.TryGetDecimal(out var quantity))
            {
                error = $"{at}: quantity is missing or not a number";
                return false;
            }
            if (quantity <= 0)
            {
                error = $"{at}: quantity must be greater than zero";
                return false;
            }
            string? unit = TryGetText(line, "unit", out var text) ? text : null;
            lines.Add(new ConsumptionLine(product, quantity, unit));
            number++;
        }
        record = new ConsumptionRecord(key, storage, occurredOn, lines);
        error = "";
        return true;
    }

    private static bool TryGetText(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() ?? "" : "";
        value = value.Trim();
        return value.Length > 0;
    }
}
