using Sinew.Engine.Config;

namespace Sinew.Connectors.RabbitMq;

/// <summary>Adds the RabbitMQ pieces to a registry: the <c>rabbitmq</c> destination, which publishes CloudEvents.</summary>
public static class RabbitMqConnectors
{
    public static ConnectorRegistry Register(ConnectorRegistry registry) => registry
        .AddDestination("rabbitmq", RabbitMqDestination.Create);
}
