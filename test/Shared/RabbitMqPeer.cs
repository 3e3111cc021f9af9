namespace Sinew.Testing;

/// <summary>A real RabbitMQ broker for tests (filled in by the RabbitMQ work).</summary>
internal static class RabbitMqPeer;
