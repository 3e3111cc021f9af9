using Sinew.Connectors.Hl7;
using Sinew.Connectors.RabbitMq;
using Sinew.Erp.Tryton;
using Sinew.Mapping;
using Sinew.Engine.Config;

namespace Sinew.Cli.Commands;

/// <summary>The connector modules the shipped <c>sinew</c> binary carries beyond the built-in ones.</summary>
internal static class ConnectorModules
{
    public static void Register(ConnectorRegistry registry)
    {
        Hl7Connectors.Register(registry);
        MappingConnectors.Register(registry);
        TrytonConnectors.Register(registry);
        RabbitMqConnectors.Register(registry);
    }
}
