using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sinew.Mapping;

/// <summary>
/// Mappings are tested like code: each example input in <c>NAME.examples/</c> next to the mapping is mapped and compared
/// with <c>CASE.expected.json</c> (the canonical records) or <c>CASE.expected-error.txt</c> (text the failure must contain).
/// </summary>
public static class MappingExamples
{
    public const string ExpectedSuffix = ".expected.json";
    public const string ExpectedErrorSuffix = ".expected-error.txt";

    /// <summary>The example inputs of a mapping, sorted; empty when it has none.</summary>
    public static IReadOnlyList<string> Inputs(MappingDefinition mapping) =>
        Directory.Exists(mapping.ExamplesFolder)
            ? Directory.EnumerateFiles(mapping.ExamplesFolder)
                .Where(f => !f.EndsWith(ExpectedSuffix, StringComparison.Ordinal) && !f.EndsWith(ExpectedErrorSuffix, StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>Runs one example; the differences (field-level), empty when it passes.</summary>
    public static IReadOnlyList<string> Run(Mapper mapper, string input)
    {
        var stem = Path.Combine(Path.GetDirectoryName(input)!, Path.GetFileNameWithoutExtension(input));
        var expectedFile = stem + ExpectedSuffix;
        var expectedErrorFile = stem + ExpectedErrorSuffix;
        var result = mapper.Map(File.ReadAllBytes(input));
        if (File.Exists(expectedErrorFile))
        {
            var wanted = File.ReadAllText(expectedErrorFile).Trim();
            return result.Succeeded
                ? [$"expected the mapping to fail with \"{wanted}\", but it produced {result.Records.Count} record(s)"]
                : result.Error!.Contains(wanted, StringComparison.Ordinal) ? [] : [$"expected the failure to contain \"{wanted}\", got \"{result.Error}\""];
        }
        if (!File.Exists(expectedFile))
        {
            return [$"no {Path.GetFileName(expectedFile)} or {Path.GetFileName(expectedErrorFile)} beside it"];
        }
        if (!result.Succeeded)
        {
            return [$"the mapping failed: {result.Error}"];
        }
        JsonNode? expected;
        try
        {
            expected = JsonNode.Parse(File.ReadAllText(expectedFile));
        }
        catch (JsonException ex)
        {
            return [$"{Path.GetFileName(expectedFile)} is not JSON: {ex.Message}"];
        }
        if (expected is JsonObject single)
        {
            expected = new JsonArray(single.DeepClone());
        }
        var actual = JsonNode.Parse(result.ToPayload());
        var differences = new List<string>();
        Compare(expected, actual, "", differences);
        return differences;
    }

    /// <summary>Lists how <paramref name="actual"/> differs from <paramref name="expected"/>, one line per field.</summary>
    public static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        var where = path.Length == 0 ? "(root)" : path;
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        differences.Add($"{Join(path, key)}: expected {Show(value)}, but it is missing");
                    }
                    else
                    {
                        Compare(value, a[key], Join(path, key), differences);
                    }
                }
                foreach (var (key, value) in a)
                {
                    if (!e.ContainsKey(key))
                    {
                        differences.Add($"{Join(path, key)}: not expected, got {Show(value)}");
                    }
                }
                return;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    var item = $"{path}[{i}]";
                    if (i >= a.Count)
                    {
                        differences.Add($"{item}: expected {Show(e[i])}, but it is missing");
                    }
                    else if (i >= e.Count)
                    {
                        differences.Add($"{item}: not expected, got {Show(a[i])}");
                    }
                    else
                    {
                        Compare(e[i], a[i], item, differences);
                    }
                }
                return;
            case (JsonValue e, JsonValue a) when SameValue(e, a):
                return;
            default:
                differences.Add($"{where}: expected {Show(expected)}, got {Show(actual)}");
                return;
        }
    }

    private static bool SameValue(JsonValue expected, JsonValue actual)
    {
        if (expected.GetValueKind() == JsonValueKind.Number && actual.GetValueKind() == JsonValueKind.Number)
        {
            return decimal.Parse(expected.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) == decimal.Parse(actual.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return expected.ToJsonString() == actual.ToJsonString();
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}
