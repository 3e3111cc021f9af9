using Sinew.Engine.Config;

namespace Sinew.Engine.Sla;

/// <summary>One objective of a channel, as written under <c>sla:</c> in its file.</summary>
public sealed record SlaDefinition(string Name, SlaKind Kind)
{
    public TimeSpan Within { get; init; }
    public double Percent { get; init; }
    public TimeSpan Window { get; init; }
    public TimeSpan MaxAge { get; init; }
    public long MaxCount { get; init; }

    /// <summary>For <see cref="SlaKind.Silence"/>: the daily hours it applies (start inclusive, end exclusive), in <see cref="TimeZone"/>.</summary>
    public (TimeOnly Start, TimeOnly End)? Hours { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public static SlaDefinition? Read(ConfigSection section)
    {
        var name = section.GetString("name", required: true);
        var kindText = section.GetChoice("type", "", "delivered-within", "oldest-queued", "exception-queue", "silence");
        if (!section.Has("type"))
        {
            section.Error("type", "is required (delivered-within, oldest-queued, exception-queue, silence)");
        }
        SlaDefinition? definition = kindText switch
        {
            "delivered-within" => new(name ?? "", SlaKind.DeliveredWithin)
            {
                Within = section.GetDuration("within", TimeSpan.FromSeconds(30)),
                Percent = section.GetNumber("percent", 95, 0, 100),
                Window = section.GetDuration("window", TimeSpan.FromMinutes(15)),
            },
            "oldest-queued" => new(name ?? "", SlaKind.OldestQueued) { MaxAge = section.GetDuration("max", TimeSpan.FromMinutes(5)) },
            "exception-queue" => new(name ?? "", SlaKind.ExceptionQueue) { MaxCount = section.GetInt("max", 10, 0, long.MaxValue) },
            "silence" => ReadSilence(section, name ?? ""),
            _ => null,
        };
        section.ReportUnknown();
        return name is null ? null : definition;
    }

    private static SlaDefinition ReadSilence(ConfigSection section, string name)
    {
        var definition = new SlaDefinition(name, SlaKind.Silence) { MaxAge = section.GetDuration("max", TimeSpan.FromHours(1)) };
        if (section.GetString("timeZone") is { } zone)
        {
            try
            {
                definition = definition with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone) };
            }
            catch (TimeZoneNotFoundException)
            {
                section.Error("timeZone", $"'{zone}' is not a known time zone (e.g. Europe/Paris, America/Chicago, UTC)");
            }
        }
        if (section.GetString("hours") is { } hours)
        {
            var parts = hours.Split('-', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && TimeOnly.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var start) && TimeOnly.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var end))
            {
                definition = definition with { Hours = (start, end) };
            }
            else
            {
                section.Error("hours", $"'{hours}' must be a daily range such as 06:00-22:00");
            }
        }
        return definition;
    }

    /// <summary>The objective in words, for alerts and the dashboard.</summary>
    public string Describe() => Kind switch
    {
        SlaKind.DeliveredWithin => $"{Percent:0.##} % delivered within {Within.TotalSeconds:0.##} s (last {Window.TotalMinutes:0.##} min)",
        SlaKind.OldestQueued => $"oldest queued under {MaxAge.TotalSeconds:0.##} s",
        SlaKind.ExceptionQueue => $"exception queue under {MaxCount}",
        _ => $"a message at least every {MaxAge.TotalMinutes:0.##} min" + (Hours is { } h ? $" during {h.Start:HH\\:mm}-{h.End:HH\\:mm} {TimeZone.Id}" : ""),
    };
}
