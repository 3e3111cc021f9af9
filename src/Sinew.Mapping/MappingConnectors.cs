using Sinew.Engine.Config;

namespace Sinew.Mapping;

/// <summary>Adds the <c>map</c> step to a registry.</summary>
public static class MappingConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry.AddStep("map", MapStep.Create);
}
