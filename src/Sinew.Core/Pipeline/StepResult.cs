namespace Sinew.Core.Pipeline;

/// <summary>The outcome of one step, with the reason when it stops the message.</summary>
public readonly record struct StepResult(StepOutcome Outcome, string? Reason)
{
    public static StepResult Continue { get; } = new(StepOutcome.Continue, null);

    public static StepResult Filter(string reason) => new(StepOutcome.Filter, reason);

    public static StepResult Fail(string reason) => new(StepOutcome.Fail, reason);
}
