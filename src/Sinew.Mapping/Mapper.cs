using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Sinew.Canonical;
using Sinew.Hl7v2;
using Sinew.Mapping.Expressions;
using Sinew.Mapping.Inputs;

namespace Sinew.Mapping;

/// <summary>Runs a mapping over one message: finds its records, fills every target field, checks the result against the canonical type.</summary>
public sealed class Mapper(MappingDefinition mapping)
{
    private const int MaxJsonDepth = 64;
    private readonly Evaluator _evaluator = new(mapping.Crosswalks, mapping.TimeZone);

    public MappingDefinition Definition => mapping;

    /// <summary>The media type of what <see cref="Map"/> produces.</summary>
    public string OutputContentType => $"{CanonicalJson.ContentType}; schema={mapping.Produces.Id}";

    /// <summary>Maps <paramref name="body"/>; the records in canonical form, or the first problem (field and reason).</summary>
    public MappingResult Map(ReadOnlyMemory<byte> body, Hl7Message? parsed = null)
    {
        IReadOnlyList<IMappingScope> roots;
        try
        {
            roots = Roots(body, parsed);
        }
        catch (MappingException ex)
        {
            return MappingResult.Failed(ex.Message);
        }
        var records = new List<JsonObject>(roots.Count);
        for (var i = 0; i < roots.Count; i++)
        {
            var where = roots.Count > 1 ? $"record {i + 1}: " : "";
            JsonObject built;
            try
            {
                built = Build(mapping.Fields, roots[i], "");
            }
            catch (MappingException ex)
            {
                return MappingResult.Failed(where + ex.Message);
            }
            var (record, error) = CanonicalCatalog.Normalize(mapping.Produces, built);
            if (record is null)
            {
                return MappingResult.Failed(where + error);
            }
            records.Add(record);
        }
        return new MappingResult(records, null);
    }

    private JsonObject Build(IReadOnlyList<FieldMap> fields, IMappingScope scope, string prefix)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            var path = prefix + field.Name;
            if (field.Source is { } source)
            {
                string? value;
                try
                {
                    value = _evaluator.Evaluate(source, scope);
                }
                catch (MappingException ex)
                {
                    throw new MappingException($"{path}: {ex.Message}");
                }
                if (value is null || value.Length == 0)
                {
                    if (field.Target.IsRequired)
                    {
                        throw new MappingException($"{path}: required, but '{source.Text}' has no value");
                    }
                    continue;
                }
                result[field.Name] = Convert(value, field.Target.PropertyType, path);
                continue;
            }
            if (field.Each is { } each)
            {
                var items = new JsonArray();
                var index = 0;
                foreach (var item in scope.Each(each))
                {
                    items.Add(Build(field.Fields, item, $"{path}[{index}]."));
                    index++;
                }
                if (items.Count == 0 && field.Target.IsRequired)
                {
                    throw new MappingException($"{path}: required, but there is no '{each}' in the message");
                }
                result[field.Name] = items;
            }
            else
            {
                result[field.Name] = Build(field.Fields, scope, path + ".");
            }
        }
        return result;
    }

    private static JsonNode Convert(string value, Type type, string path)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return JsonValue.Create(value);
        }
        if (target == typeof(decimal) || target == typeof(int) || target == typeof(long) || target == typeof(double))
        {
            return decimal.TryParse(value.Trim(), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : throw new MappingException($"{path}: '{Shorten(value)}' is not a number");
        }
        if (target == typeof(bool))
        {
            return value.Trim().ToLowerInvariant() switch
            {
                "true" or "yes" or "y" or "1" => JsonValue.Create(true),
                "false" or "no" or "n" or "0" => JsonValue.Create(false),
                _ => throw new MappingException($"{path}: '{Shorten(value)}' is not true or false"),
            };
        }
        if (target == typeof(DateTimeOffset))
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && (value.EndsWith('Z') || value.Length > 6 && value[^6] is '+' or '-')
                ? JsonValue.Create(value)
                : throw new MappingException($"{path}: '{Shorten(value)}' is not a date and time with an offset; convert it with datetime(…)");
        }
        if (target == typeof(DateOnly))
        {
            return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? JsonValue.Create(value)
                : throw new MappingException($"{path}: '{Shorten(value)}' is not a date (yyyy-MM-dd); convert it with date(…)");
        }
        return JsonValue.Create(value);
    }

    private IReadOnlyList<IMappingScope> Roots(ReadOnlyMemory<byte> body, Hl7Message? parsed)
    {
        switch (mapping.Input)
        {
            case MappingInput.Hl7v2:
                var message = parsed ?? Hl7Message.Parse(body).Message ?? throw new MappingException("the message is not HL7 v2");
                var hl7 = new Hl7Scope(message);
                return mapping.Records is { } segment ? hl7.Each(segment).ToList() : [hl7];
            case MappingInput.Fhir:
                var resource = ParseFhir(body.Span);
                var fhir = new FhirScope(resource);
                if (mapping.Records is { } select)
                {
                    return fhir.Each(select).ToList();
                }
                return resource is Bundle bundle
                    ? bundle.Entry.Select(e => e.Resource).OfType<Resource>().Select(r => (IMappingScope)new FhirScope(r)).ToList()
                    : [fhir];
            case MappingInput.Json:
                JsonNode? root;
                try
                {
                    root = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
                }
                catch (JsonException ex)
                {
                    throw new MappingException($"the message is not JSON: {ex.Message}");
                }
                var json = new JsonScope(root);
                return mapping.Records is { } array ? json.Each(array).ToList() : root is JsonArray ? json.Each("$").ToList() : [json];
            default:
                List<Dictionary<string, string>> rows;
                try
                {
                    rows = Csv.ReadRows(Encoding.UTF8.GetString(body.Span), out _);
                }
                catch (FormatException ex)
                {
                    throw new MappingException($"the message is not CSV: {ex.Message}");
                }
                return rows.Select(r => (IMappingScope)new CsvScope(r)).ToList();
        }
    }

    private static Resource ParseFhir(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        try
        {
            if (text.StartsWith('<'))
            {
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64 * 1024 * 1024 };
                using var reader = XmlReader.Create(new StringReader(text), settings);
                return new FhirXmlDeserializer(new DeserializerSettings()).DeserializeResource(reader);
            }
            var depth = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
            while (depth.Read())
            {
            }
            return new FhirJsonDeserializer(new DeserializerSettings()).DeserializeResource(text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new MappingException($"the message is not a FHIR resource: {Shorten(ex.Message, 300)}");
        }
    }

    private static string Shorten(string text, int length = 40) => text.Length > length ? text[..length] + "…" : text;
}

/// <summary>What a mapping produced: canonical records, or why it could not.</summary>
public sealed record MappingResult(IReadOnlyList<JsonObject> Records, string? Error)
{
    public static MappingResult Failed(string error) => new([], error);

    public bool Succeeded => Error is null;

    /// <summary>The payload: a JSON array of the records.</summary>
    public byte[] ToPayload()
    {
        var array = new JsonArray(Records.Select(r => (JsonNode)r.DeepClone()).ToArray());
        return JsonSerializer.SerializeToUtf8Bytes(array);
    }
}
