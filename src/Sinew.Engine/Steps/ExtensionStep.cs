using Sinew.Core.Pipeline;
using Sinew.Engine.Config;

namespace Sinew.Engine.Steps;

/// <summary>Builds a user's own <see cref="IPipelineStep"/> from the extensions folder: <c>class: Full.Type.Name</c>, <c>settings: {...}</c>.</summary>
public static class ExtensionStep
{
    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context)
    {
        var typeName = settings.GetString("class", required: true);
        var values = settings.GetMap("settings");
        if (typeName is null)
        {
            return null;
        }
        var step = context.Extensions.CreateStep(typeName, values, out var error);
        if (step is null)
        {
            settings.Error("class", error!);
        }
        return step;
    }
}
