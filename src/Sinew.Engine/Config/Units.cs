using System.Globalization;

namespace Sinew.Engine.Config;

/// <summary>Parses the human units of configuration files: durations (<c>30s</c>) and sizes (<c>10MB</c>).</summary>
public static class Units
{
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var span = text.AsSpan().Trim();
        (string Suffix, double Factor)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, factor) in units)
        {
            if (span.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !(suffix == "s" && span.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
                && double.TryParse(span[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0)
            {
                value = TimeSpan.FromMilliseconds(number * factor);
                return true;
            }
        }
        return false;
    }

    public static bool TryParseSize(string text, out long value)
    {
        value = 0;
        var span = text.AsSpan().Trim();
        (string Suffix, long Factor)[] units = [("KB", 1024), ("MB", 1024 * 1024), ("GB", 1024L * 1024 * 1024), ("B", 1)];
        foreach (var (suffix, factor) in units)
        {
            if (span.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(span[..^suffix.Length].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0)
            {
                value = number * factor;
                return true;
            }
        }
        return long.TryParse(span, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 0;
    }
}
