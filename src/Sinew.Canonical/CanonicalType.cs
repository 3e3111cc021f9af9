using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Sinew.Canonical;

/// <summary>One versioned canonical record type: its CLR type, its JSON schema and the class of every field.</summary>
public sealed class CanonicalType
{
    private readonly Dictionary<string, Sensitivity> _fields;

    internal CanonicalType(Type clrType)
    {
        var schema = clrType.GetCustomAttribute<CanonicalSchemaAttribute>()
            ?? throw new ArgumentException($"{clrType.Name} has no [CanonicalSchema]", nameof(clrType));
        ClrType = clrType;
        Name = schema.Name;
        Version = schema.Version;
        _fields = new Dictionary<string, Sensitivity>(StringComparer.Ordinal);
        CollectFields(clrType, "", _fields, depth: 0);
    }

    public Type ClrType { get; }

    public string Name { get; }

    public int Version { get; }

    /// <summary>What a record carries in its <c>schema</c> field: <c>Name/Version</c>.</summary>
    public string Id => $"{Name}/{Version}";

    /// <summary>Every field by its JSON path (<c>patientId</c>, <c>lines[].quantity</c>) with its sensitivity class.</summary>
    public IReadOnlyDictionary<string, Sensitivity> Fields => _fields;

    /// <summary>The class of a field by JSON path; an unknown field counts as <see cref="Sensitivity.Restricted"/> (nothing leaves unclassified).</summary>
    public Sensitivity ClassOf(string path) => _fields.GetValueOrDefault(path, Sensitivity.Restricted);

    /// <summary>A JSON Schema (2020-12) of this version, produced from the code, with <c>x-sensitivity</c> on every field.</summary>
    public JsonObject JsonSchema()
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = static (context, node) =>
            {
                if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(SensitivityAttribute), false) is [SensitivityAttribute attribute, ..]
                    && node is JsonObject field)
                {
                    field["x-sensitivity"] = attribute.Level.ToString().ToLowerInvariant();
                }
                return node;
            },
        };
        var body = (JsonObject)CanonicalJson.Options.GetJsonSchemaAsNode(ClrType, exporter);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://sinew.dev/schemas/{Name}/{Version}.json",
            ["title"] = Id,
        };
        var properties = new JsonObject { ["schema"] = new JsonObject { ["const"] = Id, ["x-sensitivity"] = "public" } };
        if (body["properties"] is JsonObject own)
        {
            foreach (var (key, value) in own.ToList())
            {
                own.Remove(key);
                properties[key] = value;
            }
        }
        var required = new JsonArray("schema");
        if (body["required"] is JsonArray requiredOwn)
        {
            foreach (var item in requiredOwn.ToList())
            {
                requiredOwn.Remove(item);
                required.Add(item);
            }
        }
        schema["type"] = "object";
        schema["properties"] = properties;
        schema["required"] = required;
        schema["additionalProperties"] = false;
        return schema;
    }

    private static void CollectFields(Type type, string prefix, Dictionary<string, Sensitivity> fields, int depth)
    {
        if (depth > 4)
        {
            return;
        }
        var contract = CanonicalJson.Options.GetTypeInfo(type);
        if (contract.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in contract.Properties)
        {
            var level = property.AttributeProvider?.GetCustomAttributes(typeof(SensitivityAttribute), false) is [SensitivityAttribute attribute, ..]
                ? attribute.Level
                : throw new InvalidOperationException($"{type.Name}.{property.Name} has no [Sensitivity]: every canonical field must be classified");
            var path = prefix + property.Name;
            fields[path] = level;
            var element = ElementType(property.PropertyType);
            if (element is not null && element.IsClass && element != typeof(string))
            {
                CollectFields(element, path + "[].", fields, depth + 1);
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && element is null)
            {
                CollectFields(property.PropertyType, path + ".", fields, depth + 1);
            }
        }
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? item
        : null;
}
