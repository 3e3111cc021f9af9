using Microsoft.Extensions.Logging;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Hl7v2;

namespace Sinew.Mapping;

/// <summary>
/// The <c>map</c> step: turns the message into canonical records with a mapping file (<c>mapping: x.yaml</c>, relative to
/// the channel file). A message that does not map (a missing crosswalk row, a required field without value) goes to
/// the exception queue with the field and the reason; once the crosswalk is fixed, reprocessing it maps again.
/// </summary>
public sealed class MapStep(Mapper mapper, ILogger logger) : IPipelineStep
{
    private int _refreshing;

    public Mapper Mapper => mapper;

    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context)
    {
        var file = settings.GetString("mapping", required: true);
        if (file is null)
        {
            return null;
        }
        var path = Path.GetFullPath(file, settings.BaseDirectory);
        var errorsBefore = settings.Diagnostics.Errors.Count;
        var definition = MappingDefinition.Load(path, settings.Diagnostics, context);
        if (definition is null)
        {
            if (settings.Diagnostics.Errors.Count == errorsBefore)
            {
                settings.Error("mapping", $"the mapping {path} could not be loaded");
            }
            return null;
        }
        return new MapStep(new Mapper(definition), context.LoggerFactory.CreateLogger<MapStep>());
    }

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            foreach (var crosswalk in mapper.Definition.Crosswalks.Values)
            {
                crosswalk.StartRefreshing(logger, CancellationToken.None);
            }
        }
        var parsed = context.Properties.TryGetValue("hl7.message", out var value) ? value as Hl7Message : null;
        var result = mapper.Map(context.Body, parsed);
        if (!result.Succeeded)
        {
            return ValueTask.FromResult(StepResult.Fail($"mapping {Path.GetFileName(mapper.Definition.File)}: {result.Error}"));
        }
        if (result.Records.Count == 0)
        {
            return ValueTask.FromResult(StepResult.Filter("the message holds no records to map"));
        }
        context.Body = result.ToPayload();
        context.ContentType = mapper.OutputContentType;
        context.Properties["canonical.records"] = result.Records;
        return ValueTask.FromResult(StepResult.Continue);
    }
}
