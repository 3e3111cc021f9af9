using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Sinew.Engine.Config;

/// <summary>
/// A YAML mapping read setting by setting. Every read is checked and every error names the file, line and
/// setting path; keys nobody read are reported as unknown, so a typo never goes unnoticed.
/// </summary>
public sealed class ConfigSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigSection(string file, string path, YamlMappingNode node, ConfigDiagnostics diagnostics, string baseDirectory)
    {
        File = file;
        Path = path;
        _node = node;
        Diagnostics = diagnostics;
        BaseDirectory = baseDirectory;
    }

    public string File { get; }

    /// <summary>The setting path of this section, e.g. <c>destinations[0]</c>.</summary>
    public string Path { get; }

    public ConfigDiagnostics Diagnostics { get; }

    /// <summary>The folder of the file, for relative references such as <c>file:secrets/token</c>.</summary>
    public string BaseDirectory { get; }

    public int Line => (int)_node.Start.Line;

    public bool Has(string key) => Find(key) is not null;

    /// <summary>True when <paramref name="key"/> holds a nested mapping rather than a value or a list.</summary>
    public bool IsSection(string key) => Find(key) is YamlMappingNode;

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public string SettingPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string message)
    {
        var node = FindKey(key) ?? (YamlNode)_node;
        Diagnostics.Add(File, (int)node.Start.Line, (int)node.Start.Column, SettingPath(key), message);
    }

    public string? GetString(string key, bool required = false)
    {
        var value = Find(key);
        if (value is null)
        {
            if (required)
            {
                Error(key, "is required");
            }
            return null;
        }
        if (value is not YamlScalarNode scalar)
        {
            Error(key, "must be a single value");
            return null;
        }
        if (required && string.IsNullOrWhiteSpace(scalar.Value))
        {
            Error(key, "must not be empty");
            return null;
        }
        return scalar.Value;
    }

    public string GetString(string key, string defaultValue) => GetString(key) ?? defaultValue;

    /// <summary>A value from a fixed list, compared without case.</summary>
    public string GetChoice(string key, string defaultValue, params string[] choices)
    {
        var value = GetString(key);
        if (value is null)
        {
            return defaultValue;
        }
        foreach (var choice in choices)
        {
            if (string.Equals(choice, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }
        Error(key, $"'{value}' is not one of: {string.Join(", ", choices)}");
        return defaultValue;
    }

    public long GetInt(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(key, $"'{text}' must be a whole number from {min} to {max}");
            return defaultValue;
        }
        return value;
    }

    public double GetNumber(string key, double defaultValue, double min, double max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(key, $"'{text}' must be a number from {min} to {max}");
            return defaultValue;
        }
        return value;
    }

    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Error(key, $"'{text}' must be true or false");
                return defaultValue;
        }
    }

    /// <summary>A duration such as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>7d</c>.</summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue) => GetOptionalDuration(key) ?? defaultValue;

    public TimeSpan? GetOptionalDuration(string key)
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }
        if (Units.TryParseDuration(text, out var value))
        {
            return value;
        }
        Error(key, $"'{text}' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 7d)");
        return null;
    }

    /// <summary>A size such as <c>1048576</c>, <c>512KB</c>, <c>10MB</c>, <c>1GB</c>.</summary>
    public long GetSize(string key, long defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        if (Units.TryParseSize(text, out var value))
        {
            return value;
        }
        Error(key, $"'{text}' is not a size (use e.g. 65536, 512KB, 10MB)");
        return defaultValue;
    }

    /// <summary>
    /// A secret, which must be a reference (<c>env:NAME</c> or <c>file:PATH</c>), never a literal; resolved now.
    /// </summary>
    public string? GetSecret(string key, bool required = false)
    {
        var text = GetString(key, required);
        if (text is null)
        {
            return null;
        }
        var resolution = SecretReference.Resolve(text, BaseDirectory);
        if (resolution.Error is not null)
        {
            Error(key, resolution.Error);
            return null;
        }
        return resolution.Value;
    }

    public ConfigSection? GetSection(string key, bool required = false)
    {
        var value = Find(key);
        if (value is null)
        {
            if (required)
            {
                Error(key, "is required");
            }
            return null;
        }
        if (value is not YamlMappingNode mapping)
        {
            Error(key, "must be a mapping of settings");
            return null;
        }
        return new ConfigSection(File, SettingPath(key), mapping, Diagnostics, BaseDirectory);
    }

    public IReadOnlyList<ConfigSection> GetSections(string key, bool required = false)
    {
        var value = Find(key);
        if (value is null)
        {
            if (required)
            {
                Error(key, "is required");
            }
            return [];
        }
        if (value is not YamlSequenceNode sequence)
        {
            Error(key, "must be a list");
            return [];
        }
        var list = new List<ConfigSection>();
        var index = 0;
        foreach (var item in sequence.Children)
        {
            if (item is YamlMappingNode mapping)
            {
                list.Add(new ConfigSection(File, $"{SettingPath(key)}[{index}]", mapping, Diagnostics, BaseDirectory));
            }
            else
            {
                Diagnostics.Add(File, (int)item.Start.Line, (int)item.Start.Column, $"{SettingPath(key)}[{index}]", "must be a mapping of settings");
            }
            index++;
        }
        return list;
    }

    public IReadOnlyList<string> GetStringList(string key)
    {
        var value = Find(key);
        switch (value)
        {
            case null:
                return [];
            case YamlScalarNode scalar:
                return [scalar.Value ?? ""];
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                return sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
            default:
                Error(key, "must be a value or a list of values");
                return [];
        }
    }

    /// <summary>
    /// How many values <paramref name="key"/> holds (0 when absent or empty, 1 for a single value, the length of a list),
    /// without reporting anything: for rules that look at another reader's setting.
    /// </summary>
    public int CountValues(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out var value)
        ? value switch
        {
            YamlSequenceNode sequence => sequence.Children.Count,
            YamlScalarNode scalar => string.IsNullOrEmpty(scalar.Value) ? 0 : 1,
            _ => 0,
        }
        : 0;

    /// <summary>A mapping of plain string values (e.g. extension settings or HTTP headers).</summary>
    public IReadOnlyDictionary<string, string> GetMap(string key)
    {
        var section = GetSection(key);
        if (section is null)
        {
            return new Dictionary<string, string>();
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in section.Keys)
        {
            map[name] = section.GetString(name) ?? "";
        }
        return map;
    }

    /// <summary>Reports every key of this section that no reader asked for.</summary>
    public void ReportUnknown()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(name))
            {
                Diagnostics.Add(File, (int)keyNode.Start.Line, (int)keyNode.Start.Column, SettingPath(name), "is not a known setting here (check the spelling)");
            }
        }
    }

    /// <summary>Marks a key as handled without reading it (e.g. read by a connector later).</summary>
    public void MarkRead(string key) => _read.Add(key);

    private YamlNode? Find(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    private YamlNode? FindKey(string key) =>
        _node.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);
}
