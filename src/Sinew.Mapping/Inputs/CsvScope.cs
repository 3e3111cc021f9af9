namespace Sinew.Mapping.Inputs;

/// <summary>One CSV row; a path is a column name from the header. <c>each: .</c> is the row itself.</summary>
public sealed class CsvScope(IReadOnlyDictionary<string, string> row) : IMappingScope
{
    public IReadOnlyList<string> Values(string path) =>
        row.TryGetValue(path, out var value) && value.Length > 0 ? [value] : [];

    public IEnumerable<IMappingScope> Each(string path) => path is "." or "$"
        ? [this]
        : throw new MappingException($"'each: {path}' does not apply to a CSV row; use 'each: .'");
}
