using System.Text;
using Sinew.Core.Pipeline;

namespace Sinew.Samples.Extensions;

/// <summary>
/// A user's own pipeline step: replaces every occurrence of <c>find</c> with <c>replace</c> in the message text, and
/// fails the message when <c>requireMatch</c> is true and there is nothing to replace.
/// </summary>
public sealed class ReplaceTextStep : IPipelineStep
{
    private readonly string _find;
    private readonly string _replace;
    private readonly bool _requireMatch;

    public ReplaceTextStep(IReadOnlyDictionary<string, string> settings)
    {
        _find = settings.TryGetValue("find", out var find) && find.Length > 0 ? find : throw new ArgumentException("the 'find' setting is required");
        _replace = settings.GetValueOrDefault("replace", "");
        _requireMatch = settings.TryGetValue("requireMatch", out var require) && bool.Parse(require);
    }

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(context.Body.Span);
        if (!text.Contains(_find, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(_requireMatch ? StepResult.Fail($"'{_find}' not found") : StepResult.Continue);
        }
        context.Body = Encoding.UTF8.GetBytes(text.Replace(_find, _replace, StringComparison.Ordinal));
        return ValueTask.FromResult(StepResult.Continue);
    }
}
