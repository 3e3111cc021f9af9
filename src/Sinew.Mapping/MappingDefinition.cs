using System.Text.Json.Serialization.Metadata;
using Sinew.Canonical;
using Sinew.Engine.Config;
using Sinew.Mapping.Crosswalks;
using Sinew.Mapping.Expressions;

namespace Sinew.Mapping;

/// <summary>
/// A mapping file (YAML, kept in git next to its channel): which canonical type it produces, what it reads, its
/// crosswalks and, for every target field, the source expression. Loading checks every path, function and field name
/// against the canonical type, so a typo is a start-up error with file and line, not a surprise in production.
/// </summary>
public sealed class MappingDefinition
{
    public required string File { get; init; }

    public required CanonicalType Produces { get; init; }

    public required MappingInput Input { get; init; }

    /// <summary>Which nodes of a message are records (FHIRPath for FHIR, a path to an array for JSON); null: the whole message.</summary>
    public string? Records { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    public required IReadOnlyDictionary<string, Crosswalk> Crosswalks { get; init; }

    public required IReadOnlyList<FieldMap> Fields { get; init; }

    /// <summary>The folder of example inputs and expected outputs that <c>sinew test</c> runs (<c>NAME.examples/</c> next to the file).</summary>
    public string ExamplesFolder => Path.Combine(Path.GetDirectoryName(File)!, Path.GetFileNameWithoutExtension(File) + ".examples");

    /// <summary>Loads and checks a mapping file; problems go to <paramref name="diagnostics"/> and null is returned.</summary>
    public static MappingDefinition? Load(string path, ConfigDiagnostics diagnostics, ConnectorContext context)
    {
        if (!System.IO.File.Exists(path))
        {
            diagnostics.Add(path, 0, 0, "", "the mapping file does not exist");
            return null;
        }
        var errorsBefore = diagnostics.Errors.Count;
        var root = ConfigLoader.ReadFile(path, diagnostics);
        if (root is null)
        {
            return null;
        }
        var producesText = root.GetString("produces", required: true);
        var produces = producesText is null ? null : CanonicalCatalog.Find(producesText);
        if (producesText is not null && produces is null)
        {
            root.Error("produces", $"unknown canonical type '{producesText}' (known: {string.Join(", ", CanonicalCatalog.All.Select(t => t.Id))})");
        }
        var inputText = root.GetChoice("input", "hl7v2", "hl7v2", "fhir", "json", "csv");
        var input = Enum.Parse<MappingInput>(inputText, ignoreCase: true);
        var records = root.GetString("records");
        var zoneText = root.GetString("timeZone", "UTC");
        if (!Evaluator.TryZone(zoneText, out var zone))
        {
            root.Error("timeZone", $"unknown time zone '{zoneText}' (use an IANA name such as Europe/Berlin)");
        }
        var crosswalks = ReadCrosswalks(root, context);
        IReadOnlyList<FieldMap> fields = [];
        if (produces is not null)
        {
            var section = root.GetSection("fields", required: true);
            if (section is not null)
            {
                fields = ReadFields(section, CanonicalJson.Options.GetTypeInfo(produces.ClrType), produces.Id);
            }
        }
        else
        {
            root.MarkRead("fields");
        }
        root.ReportUnknown();
        if (produces is null || diagnostics.Errors.Count > errorsBefore)
        {
            return null;
        }
        return new MappingDefinition
        {
            File = path,
            Produces = produces,
            Input = input,
            Records = records,
            TimeZone = zone,
            Crosswalks = crosswalks,
            Fields = fields,
        };
    }

    private static Dictionary<string, Crosswalk> ReadCrosswalks(ConfigSection root, ConnectorContext context)
    {
        var result = new Dictionary<string, Crosswalk>(StringComparer.Ordinal);
        var section = root.GetSection("crosswalks");
        if (section is null)
        {
            return result;
        }
        foreach (var name in section.Keys.ToList())
        {
            var table = section.GetSection(name, required: true);
            if (table is null)
            {
                continue;
            }
            var file = table.GetString("file", required: true);
            var key = table.GetString("key", required: true);
            var missing = table.GetString("missing");
            ICrosswalkSource? source = null;
            var every = TimeSpan.FromHours(1);
            if (table.GetSection("refresh") is { } refresh)
            {
                var type = refresh.GetString("type", required: true);
                every = refresh.GetDuration("every", TimeSpan.FromHours(1));
                if (type is not null)
                {
                    if (CrosswalkSources.TryGet(type, out var factory))
                    {
                        source = factory(refresh, context);
                    }
                    else
                    {
                        refresh.Error("type", $"unknown crosswalk source '{type}'");
                    }
                }
                refresh.ReportUnknown();
            }
            table.ReportUnknown();
            if (file is null || key is null)
            {
                continue;
            }
            try
            {
                result[name] = new Crosswalk(name, Path.GetFullPath(file, table.BaseDirectory), key, missing, source, every);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                table.Error("file", ex.Message);
            }
        }
        return result;
    }

    private static List<FieldMap> ReadFields(ConfigSection section, JsonTypeInfo type, string typeName)
    {
        var fields = new List<FieldMap>();
        var properties = type.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var name in section.Keys.ToList())
        {
            if (!properties.TryGetValue(name, out var property))
            {
                section.Error(name, $"{typeName} has no field '{name}' (fields: {string.Join(", ", properties.Keys)})");
                section.MarkRead(name);
                continue;
            }
            var element = ElementType(property.PropertyType);
            var nested = element ?? (IsObject(property.PropertyType) ? property.PropertyType : null);
            if (nested is not null)
            {
                var sub = section.GetSection(name, required: true);
                if (sub is null)
                {
                    continue;
                }
                var each = sub.GetString("each", required: element is not null);
                var subFields = sub.GetSection("fields", required: true) is { } inner
                    ? ReadFields(inner, CanonicalJson.Options.GetTypeInfo(nested), $"{typeName} {name}")
                    : [];
                sub.ReportUnknown();
                fields.Add(new FieldMap { Name = name, Each = each, Fields = subFields, Target = property });
                continue;
            }
            var text = section.GetString(name);
            if (text is null)
            {
                continue;
            }
            try
            {
                fields.Add(new FieldMap { Name = name, Source = ExprParser.Parse(text), Target = property });
            }
            catch (FormatException ex)
            {
                section.Error(name, ex.Message);
            }
        }
        foreach (var required in type.Properties.Where(p => p.IsRequired && fields.All(f => f.Name != p.Name) && !section.Has(p.Name)))
        {
            section.Error("", $"the required field '{required.Name}' of {typeName} is not mapped");
        }
        return fields;
    }

    private static bool IsObject(Type type) =>
        type.IsClass && type != typeof(string) && CanonicalJson.Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object;

    private static Type? ElementType(Type type) =>
        type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && IsObject(item) ? item : null;
}
