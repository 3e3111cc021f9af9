using System.Globalization;
using Sinew.Hl7v2;
using Sinew.Mapping.Crosswalks;
using Sinew.Mapping.Inputs;

namespace Sinew.Mapping.Expressions;

/// <summary>Evaluates an expression in a scope; null means "no value". Failures throw <see cref="MappingException"/>.</summary>
public sealed class Evaluator(IReadOnlyDictionary<string, Crosswalk> crosswalks, TimeZoneInfo defaultZone)
{
    public string? Evaluate(Expr expr, IMappingScope scope) => expr switch
    {
        LiteralExpr literal => literal.Value,
        PathExpr path => scope.Values(path.Path) is [var first, ..] ? first : null,
        CallExpr call => Call(call, scope),
        _ => throw new MappingException($"cannot evaluate '{expr.Text}'"),
    };

    private string? Call(CallExpr call, IMappingScope scope)
    {
        string? Arg(int i) => i < call.Arguments.Count ? Evaluate(call.Arguments[i], scope) : null;
        switch (call.Name)
        {
            case "trim":
                return Arg(0)?.Trim() is { Length: > 0 } t ? t : null;
            case "upper":
                return Arg(0)?.ToUpperInvariant();
            case "lower":
                return Arg(0)?.ToLowerInvariant();
            case "default":
                return Arg(0) is { Length: > 0 } value ? value : Arg(1);
            case "coalesce":
                return call.Arguments.Select(a => Evaluate(a, scope)).FirstOrDefault(v => v is { Length: > 0 });
            case "concat":
                var parts = call.Arguments.Select(a => Evaluate(a, scope) ?? "").ToList();
                return parts.Any(p => p.Length > 0) ? string.Concat(parts) : null;
            case "join":
                if (call.Arguments[0] is not PathExpr joined)
                {
                    throw new MappingException($"join() needs a path as its first argument in '{call.Text}'");
                }
                var all = scope.Values(joined.Path);
                return all.Count == 0 ? null : string.Join(Arg(1) ?? "", all);
            case "substring":
                return Substring(call, Arg(0), Arg(1), Arg(2));
            case "replace":
                return Arg(0)?.Replace(Arg(1) ?? "", Arg(2) ?? "", StringComparison.Ordinal);
            case "number":
                return Arg(0) is { } n ? Number(n, call).ToString(CultureInfo.InvariantCulture) : null;
            case "integer":
                return Arg(0) is { } i ? decimal.Truncate(Number(i, call)).ToString(CultureInfo.InvariantCulture) : null;
            case "multiply":
                return Arg(0) is { } x && Arg(1) is { } factor ? (Number(x, call) * Number(factor, call)).ToString(CultureInfo.InvariantCulture) : null;
            case "datetime":
                return Arg(0) is { } dt ? DateTime(dt, Arg(1), Arg(2), call).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) : null;
            case "date":
                return Arg(0) is { } d ? DateTime(d, Arg(1), "UTC", call).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            case "if":
                return IsTrue(Arg(0)) ? Arg(1) : Arg(2);
            case "eq":
                return Bool(string.Equals(Arg(0) ?? "", Arg(1) ?? "", StringComparison.Ordinal));
            case "ne":
                return Bool(!string.Equals(Arg(0) ?? "", Arg(1) ?? "", StringComparison.Ordinal));
            case "exists":
                return Bool(Arg(0) is { Length: > 0 });
            case "empty":
                return Bool(Arg(0) is not { Length: > 0 });
            case "not":
                return Bool(!IsTrue(Arg(0)));
            case "lookup":
            case "trylookup":
                return Lookup(call, Arg(0), Arg(1), Arg(2));
            default:
                throw new MappingException($"unknown function {call.Name}()");
        }
    }

    private string? Lookup(CallExpr call, string? table, string? key, string? column)
    {
        if (table is null || !crosswalks.TryGetValue(table, out var crosswalk))
        {
            throw new MappingException($"{call.Text}: there is no crosswalk '{table}' in this mapping");
        }
        if (column is null)
        {
            throw new MappingException($"{call.Text}: the column is empty");
        }
        if (key is not { Length: > 0 })
        {
            return null; // no key, no value: a required field then says it is missing
        }
        if (call.Name == "trylookup")
        {
            return crosswalk.Find(key) is { } row && row.TryGetValue(column, out var found) && found.Length > 0 ? found : null;
        }
        return crosswalk.Get(key, column);
    }

    private static string? Substring(CallExpr call, string? text, string? start, string? length)
    {
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(start, CultureInfo.InvariantCulture, out var from) || from < 0)
        {
            throw new MappingException($"{call.Text}: the start must be a number ≥ 0");
        }
        if (from >= text.Length)
        {
            return null;
        }
        var count = length is null ? text.Length - from : int.TryParse(length, CultureInfo.InvariantCulture, out var n) && n >= 0 ? Math.Min(n, text.Length - from) : throw new MappingException($"{call.Text}: the length must be a number ≥ 0");
        return text.Substring(from, count);
    }

    private static decimal Number(string text, CallExpr call) =>
        decimal.TryParse(text.Trim(), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new MappingException($"'{Shorten(text)}' is not a number ({call.Text})");

    private DateTimeOffset DateTime(string text, string? format, string? zoneId, CallExpr call)
    {
        var zone = defaultZone;
        if (zoneId is { Length: > 0 } && !TryZone(zoneId, out zone))
        {
            throw new MappingException($"{call.Text}: unknown time zone '{zoneId}' (use an IANA name such as Europe/Berlin)");
        }
        var trimmed = text.Trim();
        if (format is null or "hl7")
        {
            if (!Hl7Timestamp.TryParse(trimmed, out var stamp))
            {
                throw new MappingException($"'{Shorten(trimmed)}' is not an HL7 date/time ({call.Text})");
            }
            return stamp.HasOffset ? stamp.Value : InZone(stamp.Value.DateTime, zone);
        }
        if (format == "iso")
        {
            if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso) && HasOffset(trimmed))
            {
                return iso;
            }
            if (System.DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return InZone(local, zone);
            }
            throw new MappingException($"'{Shorten(trimmed)}' is not an ISO 8601 date/time ({call.Text})");
        }
        if (DateTimeOffset.TryParseExact(trimmed, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact) && format.Contains('z', StringComparison.Ordinal))
        {
            return exact;
        }
        if (System.DateTime.TryParseExact(trimmed, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var plain))
        {
            return InZone(plain, zone);
        }
        throw new MappingException($"'{Shorten(trimmed)}' does not match the format '{format}' ({call.Text})");
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static DateTimeOffset InZone(System.DateTime local, TimeZoneInfo zone)
    {
        var unspecified = System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    public static bool TryZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    private static bool IsTrue(string? value) => value is { Length: > 0 } && value != "false" && value != "0";

    private static string Bool(bool value) => value ? "true" : "";

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
