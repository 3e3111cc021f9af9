namespace Sinew.Engine.Config;

/// <summary>How a destination retries: exponential backoff with jitter, capped, and a limit after which the message is dead-lettered.</summary>
public sealed record RetryOptions(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static RetryOptions Default { get; } = new(10, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    public static RetryOptions Read(ConfigSection? section)
    {
        if (section is null)
        {
            return Default;
        }
        var options = new RetryOptions(
            (int)section.GetInt("maxAttempts", Default.MaxAttempts, 1, 1000),
            section.GetDuration("initialDelay", Default.InitialDelay),
            section.GetDuration("maxDelay", Default.MaxDelay));
        section.ReportUnknown();
        return options;
    }
}
