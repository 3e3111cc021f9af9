using System.Globalization;

namespace Sinew.Mapping.Expressions;

/// <summary>The functions a mapping expression may call, with how many arguments each takes.</summary>
public static class MappingFunctions
{
    private static readonly Dictionary<string, (int Min, int Max, string Usage)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trim"] = (1, 1, "trim(x)"),
        ["upper"] = (1, 1, "upper(x)"),
        ["lower"] = (1, 1, "lower(x)"),
        ["default"] = (2, 2, "default(x, fallback)"),
        ["coalesce"] = (1, 16, "coalesce(a, b, …)"),
        ["concat"] = (1, 16, "concat(a, b, …)"),
        ["join"] = (2, 2, "join(path, separator)"),
        ["substring"] = (2, 3, "substring(x, start, length?)"),
        ["replace"] = (3, 3, "replace(x, old, new)"),
        ["number"] = (1, 1, "number(x)"),
        ["integer"] = (1, 1, "integer(x)"),
        ["multiply"] = (2, 2, "multiply(x, factor)"),
        ["datetime"] = (1, 3, "datetime(x, format?, timeZone?)"),
        ["date"] = (1, 2, "date(x, format?)"),
        ["if"] = (2, 3, "if(condition, then, else?)"),
        ["eq"] = (2, 2, "eq(a, b)"),
        ["ne"] = (2, 2, "ne(a, b)"),
        ["exists"] = (1, 1, "exists(x)"),
        ["empty"] = (1, 1, "empty(x)"),
        ["not"] = (1, 1, "not(x)"),
        ["lookup"] = (3, 3, "lookup('table', key, 'column')"),
        ["trylookup"] = (3, 3, "tryLookup('table', key, 'column')"),
    };

    public static bool IsKnown(string name) => Known.ContainsKey(name);

    public static IEnumerable<string> Usages => Known.Values.Select(k => k.Usage).Order(StringComparer.Ordinal);

    public static void CheckArity(string name, int count)
    {
        var (min, max, usage) = Known[name];
        if (count < min || count > max)
        {
            throw new FormatException($"{name}() takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}-{max}")} argument(s): {usage}");
        }
    }
}
