using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Sinew.Hl7v2;

/// <summary>
/// The profiles a validator uses, by message type. Built-in profiles ship as embedded YAML (ADT^A01/A03/A04/A08, ORU^R01,
/// DFT^P03, MFN^M01/M16 and header rules for every message); a user's folder of YAML files adds to or replaces them.
/// </summary>
public sealed class Hl7ProfileSet
{
    private readonly Dictionary<string, Hl7Profile> byType;
    private readonly List<Hl7Profile> common;

    private Hl7ProfileSet(Dictionary<string, Hl7Profile> byType, List<Hl7Profile> common, IReadOnlyList<Hl7Issue> issues)
    {
        this.byType = byType;
        this.common = common;
        Issues = issues;
    }

    /// <summary>Problems met while loading (a bad file names its path and line); the other files still load.</summary>
    public IReadOnlyList<Hl7Issue> Issues { get; }

    /// <summary>Message types with a profile, e.g. "ADT^A01".</summary>
    public IEnumerable<string> MessageTypes => byType.Keys;

    /// <summary>Profiles applied to every message (message type "*").</summary>
    public IReadOnlyList<Hl7Profile> Common => common;

    /// <summary>An empty set (no rules at all).</summary>
    public static Hl7ProfileSet Empty() => new([], [], []);

    /// <summary>Loads the profiles shipped inside the library. Load once and reuse; the set is immutable.</summary>
    public static Hl7ProfileSet LoadBuiltIn()
    {
        var assembly = typeof(Hl7ProfileSet).Assembly;
        var files = new List<(string Source, string Text)>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (name.StartsWith("Sinew.Hl7v2.Profiles.", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                files.Add(($"embedded:{name["Sinew.Hl7v2.Profiles.".Length..]}", reader.ReadToEnd()));
            }
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Source, b.Source));
        return Load(files, baseSet: null);
    }

    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> file of <paramref name="folder"/> on top of this set; a user profile replaces a built-in one for the same type.</summary>
    public Hl7ProfileSet WithFolder(string folder)
    {
        var files = new List<(string Source, string Text)>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                files.Add((path, File.ReadAllText(path)));
            }
        }
        return Load(files, this);
    }

    /// <summary>Adds profiles from YAML text on top of this set (for tests and configuration held elsewhere).</summary>
    public Hl7ProfileSet WithYaml(string source, string yaml) => Load([(source, yaml)], this);

    /// <summary>The profile for a message type such as "ADT^A01", if any.</summary>
    public bool TryGet(string messageType, out Hl7Profile profile) => byType.TryGetValue(messageType, out profile!);

    private static Hl7ProfileSet Load(List<(string Source, string Text)> files, Hl7ProfileSet? baseSet)
    {
        var byType = baseSet is null ? new Dictionary<string, Hl7Profile>(StringComparer.Ordinal) : new Dictionary<string, Hl7Profile>(baseSet.byType, StringComparer.Ordinal);
        var common = baseSet is null ? [] : new List<Hl7Profile>(baseSet.common);
        var issues = baseSet is null ? [] : new List<Hl7Issue>(baseSet.Issues);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        foreach (var (source, text) in files)
        {
            try
            {
                var document = deserializer.Deserialize<ProfileDocument>(text) ?? new ProfileDocument();
                var profile = Hl7ProfileReader.ToProfile(document, source);
                foreach (var type in profile.MessageTypes)
                {
                    if (type == "*")
                    {
                        common.Add(profile);
                    }
                    else
                    {
                        byType[type] = profile;
                    }
                }
            }
            catch (YamlException e)
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.InvalidProfile, Hl7Severity.Error, Hl7Location.Message,
                    $"{source} line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}"));
            }
            catch (FormatException e)
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.InvalidProfile, Hl7Severity.Error, Hl7Location.Message, $"{source}: {e.Message}"));
            }
        }
        return new Hl7ProfileSet(byType, common, issues);
    }
}
