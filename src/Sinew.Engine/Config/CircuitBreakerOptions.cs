namespace Sinew.Engine.Config;

/// <summary>When a destination's circuit opens (failure ratio over a window) and how long it stays open.</summary>
public sealed record CircuitBreakerOptions(double FailureRatio, int MinimumThroughput, TimeSpan SamplingDuration, TimeSpan BreakDuration)
{
    public static CircuitBreakerOptions Default { get; } = new(0.5, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15));

    public static CircuitBreakerOptions Read(ConfigSection? section)
    {
        if (section is null)
        {
            return Default;
        }
        var options = new CircuitBreakerOptions(
            section.GetNumber("failureRatio", Default.FailureRatio, 0.01, 1),
            (int)section.GetInt("minimumThroughput", Default.MinimumThroughput, 2, 100_000),
            section.GetDuration("samplingDuration", Default.SamplingDuration),
            section.GetDuration("breakDuration", Default.BreakDuration));
        section.ReportUnknown();
        return options;
    }
}
