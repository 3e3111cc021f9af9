using Sinew.Core.Pipeline;
using Sinew.Engine.Config;

namespace Sinew.Engine.Steps;

/// <summary>Sends the message only to the named destinations when its condition holds (<c>to: [a, b]</c>); otherwise leaves the route as it is.</summary>
public sealed class RouteStep(TextCondition? condition, IReadOnlyList<string> to) : IPipelineStep
{
    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context)
    {
        var to = settings.GetStringList("to");
        if (to.Count == 0)
        {
            settings.Error("to", "name at least one destination");
            return null;
        }
        TextCondition? condition = null;
        if (settings.Has("contains") || settings.Has("matches"))
        {
            condition = TextCondition.Read(settings);
            if (condition is null)
            {
                return null;
            }
        }
        return new RouteStep(condition, to);
    }

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        if (condition is null || condition.IsMet(context.Body.Span))
        {
            context.Route = new HashSet<string>(to, StringComparer.OrdinalIgnoreCase);
        }
        return ValueTask.FromResult(StepResult.Continue);
    }
}
