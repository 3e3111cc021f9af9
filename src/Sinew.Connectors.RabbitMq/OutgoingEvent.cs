namespace Sinew.Connectors.RabbitMq;

/// <summary>One CloudEvent ready to publish: its JSON bytes and the attributes copied into AMQP properties.</summary>
internal readonly record struct OutgoingEvent(string Id, string Type, DateTimeOffset Time, ReadOnlyMemory<byte> Body);
