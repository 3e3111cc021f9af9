namespace Sinew.Core.Pipeline;

/// <summary>
/// One step of a channel pipeline (decode, validate, filter, transform, route). Users implement it in their own
/// assembly for what configuration can't say; Sinew loads it from the configured extensions folder.
/// </summary>
/// <remarks>
/// An extension step has a public constructor that takes either nothing or an
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of the string settings given in the channel file.
/// A step that throws fails the message (exception queue, with the step's name); it never stops the engine.
/// </remarks>
public interface IPipelineStep
{
    ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken);
}
