using System.Collections.Concurrent;
using Sinew.Hl7v2;

namespace Sinew.Mapping.Inputs;

/// <summary>
/// HL7 v2 paths (<c>PID-3[1].1</c>, <c>FT1[2]-7.1</c>). Inside <c>each: FT1</c> a path on FT1 without its own
/// occurrence reads the current FT1, so a line's fields come from its own segment.
/// </summary>
public sealed class Hl7Scope(Hl7Message message, string? segment = null, int occurrence = 1) : IMappingScope
{
    private static readonly ConcurrentDictionary<string, (Hl7Path Path, bool ExplicitOccurrence)> Paths = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Values(string path)
    {
        var (parsed, explicitOccurrence) = Parse(path);
        if (segment is not null && !explicitOccurrence && parsed.Segment == segment)
        {
            parsed = parsed.WithSegmentOccurrence(occurrence);
        }
        var value = message.Get(parsed);
        return value.Exists && !value.IsEmpty ? [value.ToString()] : [];
    }

    public IEnumerable<IMappingScope> Each(string path)
    {
        if (path.Length != 3 || !Hl7Path.TryParse(path, out _))
        {
            throw new MappingException($"'each: {path}' must name a segment, e.g. FT1");
        }
        var name = System.Text.Encoding.ASCII.GetBytes(path);
        var count = message.CountOf(name);
        for (var i = 1; i <= count; i++)
        {
            yield return new Hl7Scope(message, path, i);
        }
    }

    internal static (Hl7Path Path, bool ExplicitOccurrence) Parse(string path) =>
        Paths.GetOrAdd(path, static text => Hl7Path.TryParse(text, out var parsed)
            ? (parsed, text.Length > 3 && text[3] == '[')
            : throw new MappingException($"'{text}' is not an HL7 v2 path such as PID-3.1 or FT1-7.1"));
}
