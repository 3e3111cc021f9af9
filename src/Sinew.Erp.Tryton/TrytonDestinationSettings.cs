using Sinew.Engine.Config;

namespace Sinew.Erp.Tryton;

/// <summary>The settings of a <c>type: tryton</c> destination, read and checked when the channel loads.</summary>
public sealed record TrytonDestinationSettings(TrytonConnection Connection, string ConsumptionLocation)
{
    /// <summary>Most shipments posted in one call.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>How long the first delivery of a batch waits for others to join it.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest one call to Tryton may take (a batch's done step can take seconds).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Reads <c>url</c>, <c>database</c>, <c>user</c>, <c>password</c>, <c>consumptionLocation</c>, and the optional
    /// <c>batchSize</c>, <c>batchWindow</c> and <c>callTimeout</c>; reports problems on the section and returns null when any.
    /// </summary>
    public static TrytonDestinationSettings? Read(ConfigSection settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connection = TrytonConnection.Read(settings);
        var consumption = settings.GetString("consumptionLocation", required: true);
        var batchSize = (int)settings.GetInt("batchSize", 50, 1, 500);
        var window = settings.GetDuration("batchWindow", TimeSpan.FromMilliseconds(100));
        var callTimeout = settings.GetDuration("callTimeout", TimeSpan.FromSeconds(120));
        var valid = true;
        if (window > TimeSpan.FromSeconds(5))
        {
            valid = false;
            settings.Error("batchWindow", $"'{window.TotalMilliseconds:0} ms' is too long: every delivery waits that long; use at most 5s");
        }
        if (callTimeout < TimeSpan.FromSeconds(1))
        {
            valid = false;
            settings.Error("callTimeout", "must be at least 1s");
        }
        return connection is null || consumption is null || !valid
            ? null
            : new TrytonDestinationSettings(connection, consumption.Trim())
            {
                BatchSize = batchSize,
                BatchWindow = window,
                CallTimeout = callTimeout,
            };
    }
}
