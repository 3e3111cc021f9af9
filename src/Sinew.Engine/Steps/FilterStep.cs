using Sinew.Core.Pipeline;
using Sinew.Engine.Config;

namespace Sinew.Engine.Steps;

/// <summary>Lets a message through only when its condition holds (or, with <c>exclude: true</c>, only when it doesn't).</summary>
public sealed class FilterStep(TextCondition condition, bool exclude) : IPipelineStep
{
    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context)
    {
        var condition = TextCondition.Read(settings);
        var exclude = settings.GetBool("exclude", false);
        return condition is null ? null : new FilterStep(condition, exclude);
    }

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var met = condition.IsMet(context.Body.Span);
        return ValueTask.FromResult(met != exclude ? StepResult.Continue : StepResult.Filter(exclude ? "excluded by filter" : "did not match filter"));
    }
}
