using Sinew.Engine.Config;

namespace Sinew.Connectors.Hl7;

/// <summary>Adds the HL7 v2 pieces to a registry: the <c>mllp</c> source and destination and the <c>hl7</c> step.</summary>
public static class Hl7Connectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry
        .AddSource("mllp", MllpSource.Create)
        .AddDestination("mllp", MllpDestination.Create)
        .AddStep("hl7", Hl7Step.Create);
}
