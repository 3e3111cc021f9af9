using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sinew.Canonical;
using Sinew.Core.Journal;

namespace Sinew.Connectors.RabbitMq;

/// <summary>
/// Turns one outbox entry into CloudEvents 1.0 in JSON structured mode: one event per canonical record (id
/// <c>{IdempotencyKey}#{index}</c>, so consumers can drop repeats), one event for any other payload. Records are
/// copied byte for byte into <c>data</c>; nothing is added to or taken from them.
/// </summary>
internal static class CloudEventEncoder
{
    public const string MediaType = "application/cloudevents+json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Not HTML: '+' in a time offset or a media type stays readable instead of becoming \u002B.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>The events of <paramref name="entry"/>, or the reason it can never be published (a Permanent failure).</summary>
    public static (IReadOnlyList<OutgoingEvent> Events, string? Error) Encode(OutboxEntry entry, RabbitMqDestinationOptions options)
    {
        var source = Expand(options.Source, entry);
        if (CanonicalJson.IsCanonical(entry.ContentType))
        {
            return EncodeCanonical(entry, options, source);
        }
        var time = ReceivedAt(entry);
        var type = options.EventType ?? "org.sinew.message";
        if (LooksLikeJson(entry.ContentType) && TryParse(entry.Payload, out var document))
        {
            using (document)
            {
                var body = Write(entry.IdempotencyKey, type, source, time, null, entry, entry.ContentType, document.RootElement, default);
                return ([new OutgoingEvent(entry.IdempotencyKey, type, time, body)], null);
            }
        }
        var binary = Write(entry.IdempotencyKey, type, source, time, null, entry, entry.ContentType, null, entry.Payload.Span);
        return ([new OutgoingEvent(entry.IdempotencyKey, type, time, binary)], null);
    }

    /// <summary>Replaces <c>{channel}</c> and <c>{destination}</c> in a setting.</summary>
    public static string Expand(string template, OutboxEntry entry) => template
        .Replace("{channel}", entry.Channel, StringComparison.Ordinal)
        .Replace("{destination}", entry.Destination, StringComparison.Ordinal);

    /// <summary>
    /// <c>InventoryConsumption/1</c> becomes <c>org.sinew.inventory-consumption.v1</c>: reverse-DNS and lower case,
    /// as the CloudEvents spec recommends for <c>type</c>, with the schema version kept so consumers can route on it.
    /// </summary>
    public static string TypeFromSchema(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema))
        {
            return "org.sinew.record";
        }
        var slash = schema.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? schema : schema[..slash];
        var version = slash < 0 ? "" : schema[(slash + 1)..];
        var text = new StringBuilder("org.sinew.");
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                text.Append('-');
            }
            text.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        if (version.Length > 0)
        {
            text.Append(".v").Append(version.ToLowerInvariant());
        }
        return text.ToString();
    }

    private static (IReadOnlyList<OutgoingEvent>, string?) EncodeCanonical(OutboxEntry entry, RabbitMqDestinationOptions options, string source)
    {
        if (!TryParse(entry.Payload, out var document))
        {
            return ([], "the canonical payload is not valid JSON");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ([], $"the canonical payload must be a JSON array of records, not {Describe(document.RootElement.ValueKind)}");
            }
            var events = new List<OutgoingEvent>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var record in document.RootElement.EnumerateArray())
            {
                if (record.ValueKind != JsonValueKind.Object)
                {
                    return ([], $"canonical record {index} must be a JSON object, not {Describe(record.ValueKind)}");
                }
                var id = $"{entry.IdempotencyKey}#{index}";
                var type = options.EventType ?? TypeFromSchema(StringProperty(record, "schema"));
                var time = OccurredAt(record) ?? ReceivedAt(entry);
                var subject = StringProperty(record, "consumptionId");
                var body = Write(id, type, source, time, subject, entry, "application/json", record, default);
                events.Add(new OutgoingEvent(id, type, time, body));
                index++;
            }
            return (events, null);
        }
    }

    private static byte[] Write(
        string id, string type, string source, DateTimeOffset time, string? subject, OutboxEntry entry,
        string dataContentType, JsonElement? data, ReadOnlySpan<byte> binary)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + entry.Payload.Length * 4 / 3);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion"u8, "1.0");
            writer.WriteString("id"u8, id);
            writer.WriteString("source"u8, source);
            writer.WriteString("type"u8, type);
            if (subject is not null)
            {
                writer.WriteString("subject"u8, subject);
            }
            writer.WriteString("time"u8, FormatTime(time));
            writer.WriteString("datacontenttype"u8, dataContentType);
            writer.WriteString("sinewmessageid"u8, entry.MessageId.ToString(CultureInfo.InvariantCulture));
            if (entry.TraceParent is { Length: > 0 } traceParent)
            {
                // The CloudEvents distributed-tracing extension: consumers can join Sinew's trace.
                writer.WriteString("traceparent"u8, traceParent);
            }
            if (data is { } element)
            {
                writer.WritePropertyName("data"u8);
                // The bytes as received, not a re-serialization: numbers, escapes and field order are kept exactly.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
            }
            else
            {
                writer.WriteBase64String("data_base64"u8, binary);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 3339 as CloudEvents requires: fractions only when present, <c>Z</c> for UTC, the offset kept otherwise.</summary>
    public static string FormatTime(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset? OccurredAt(JsonElement record)
    {
        var text = StringProperty(record, "occurredAt");
        // Only a time with an explicit offset is an instant; a local time without one would be a guess.
        if (text is null
            || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || parsed.Kind == DateTimeKind.Unspecified
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }
        return time;
    }

    private static DateTimeOffset ReceivedAt(OutboxEntry entry) => entry.ReceivedAt == default ? entry.CreatedAt : entry.ReceivedAt;

    private static string? StringProperty(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool LooksLikeJson(string? contentType) =>
        contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static bool TryParse(ReadOnlyMemory<byte> payload, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(payload, ReaderOptions);
            return true;
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
