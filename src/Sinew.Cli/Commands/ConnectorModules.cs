using Sinew.Engine.Config;

namespace Sinew.Cli.Commands;

/// <summary>The connector modules the shipped <c>sinew</c> binary carries beyond the built-in ones.</summary>
internal static class ConnectorModules
{
    public static void Register(ConnectorRegistry registry)
    {
        // MLLP, FHIR and ERP connectors register here as their parts land.
    }
}
