namespace Sinew.RabbitMq.Tests;

/// <summary>One private RabbitMQ broker per test class; it takes a few seconds to start, so tests of a class share it.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private RabbitMqPeer? _peer;

    internal RabbitMqPeer Peer => _peer ?? throw new InvalidOperationException("the broker is not started");

    public async ValueTask InitializeAsync()
    {
        _peer = await RabbitMqPeer.StartNewAsync(TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"RabbitMQ node {_peer.NodeName} on port {_peer.Port} started in {_peer.LastStartDuration.TotalSeconds:0.0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
