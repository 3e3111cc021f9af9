using Sinew.Engine.Config;

namespace Sinew.Connectors.RabbitMq;

/// <summary>Adds the RabbitMQ pieces to a registry.</summary>
public static class RabbitMqConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry;
}
