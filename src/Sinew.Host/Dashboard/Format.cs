using System.Globalization;

namespace Sinew.Host.Dashboard;

/// <summary>How the dashboard writes times, ages, sizes and counts: UTC, invariant culture, short.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "—";

    public static string IsoTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Age(double? seconds) => seconds switch
    {
        null => "—",
        < 1 => $"{seconds.Value * 1000:0} ms",
        < 120 => $"{seconds.Value:0.#} s",
        < 7200 => $"{seconds.Value / 60:0.#} min",
        < 172800 => $"{seconds.Value / 3600:0.#} h",
        _ => $"{seconds.Value / 86400:0.#} d",
    };

    public static string Offset(TimeSpan span) => span.TotalMilliseconds switch
    {
        < 0 => "−" + Age(-span.TotalSeconds),
        _ => "+" + Age(span.TotalSeconds),
    };

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
