using System.Globalization;

namespace Sinew.FaultProxy;

/// <summary>
/// Reads fault settings from words as typed on the command line or on the proxy's standard input:
/// <c>--mode black-hole --latency 200ms --jitter 50ms --bandwidth 10000 --reset-after 512</c>.
/// </summary>
public static class FaultCommand
{
    /// <summary>Applies <paramref name="words"/> on top of <paramref name="current"/>; unknown words are reported, never ignored.</summary>
    public static FaultSettings Apply(FaultSettings current, IReadOnlyList<string> words, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var settings = current;
        for (var i = 0; i < words.Count; i++)
        {
            var name = words[i];
            if (name is "--listen" or "--target")
            {
                i++;
                continue;
            }
            if (i + 1 >= words.Count)
            {
                problems.Add($"{name} needs a value");
                break;
            }
            var value = words[++i];
            switch (name)
            {
                case "--mode":
                    if (ParseMode(value) is { } mode)
                    {
                        settings = settings with { Mode = mode };
                    }
                    else
                    {
                        problems.Add($"--mode '{value}' is not one of pass-through, reset-after-bytes, black-hole, half-open, refuse");
                    }
                    break;
                case "--latency":
                    settings = settings with { Latency = ParseDuration(name, value, problems) };
                    break;
                case "--jitter":
                    settings = settings with { Jitter = ParseDuration(name, value, problems) };
                    break;
                case "--bandwidth":
                    settings = settings with { BytesPerSecond = ParseCount(name, value, problems) };
                    break;
                case "--reset-after":
                    settings = settings with { Mode = FaultMode.ResetAfterBytes, ResetAfterBytes = ParseCount(name, value, problems) };
                    break;
                default:
                    problems.Add($"'{name}' is not a setting (--mode, --latency, --jitter, --bandwidth, --reset-after)");
                    break;
            }
        }
        problems.AddRange(settings.Validate());
        errors = problems;
        return problems.Count == 0 ? settings : current;
    }

    private static FaultMode? ParseMode(string value) => value switch
    {
        "pass-through" => FaultMode.PassThrough,
        "reset-after-bytes" => FaultMode.ResetAfterBytes,
        "black-hole" => FaultMode.BlackHole,
        "half-open" => FaultMode.HalfOpen,
        "refuse" => FaultMode.Refuse,
        _ => null,
    };

    /// <summary>Durations as <c>250ms</c>, <c>2s</c> or a plain number of milliseconds.</summary>
    private static TimeSpan ParseDuration(string name, string value, List<string> problems)
    {
        var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : (value, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            return TimeSpan.FromMilliseconds(amount * scale);
        }
        problems.Add($"{name} '{value}' is not a duration such as 250ms or 2s");
        return TimeSpan.Zero;
    }

    private static long ParseCount(string name, string value, List<string> problems)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }
        problems.Add($"{name} '{value}' is not a whole number of bytes");
        return 0;
    }
}
