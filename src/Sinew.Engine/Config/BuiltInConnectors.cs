using Sinew.Engine.Destinations;
using Sinew.Engine.Sources;
using Sinew.Engine.Steps;

namespace Sinew.Engine.Config;

/// <summary>The connectors and steps every Sinew has; other parts (MLLP, FHIR, ERP) add theirs to the same registry.</summary>
public static class BuiltInConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry
        .AddSource("http", HttpSource.Create)
        .AddSource("file", FileSource.Create)
        .AddStep("validate", ValidateStep.Create)
        .AddStep("filter", FilterStep.Create)
        .AddStep("route", RouteStep.Create)
        .AddStep("extension", ExtensionStep.Create)
        .AddDestination("file", FileDestination.Create)
        .AddDestination("http", HttpDestination.Create);
}
