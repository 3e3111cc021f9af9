using System.Net;
using System.Net.Sockets;

namespace Sinew.Mllp.Tests;

public sealed class MllpClientTests
{
    [Fact]
    public async Task Send_AfterListenerClosedIdleConnection_ReconnectsAndGetsAck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var client = fixture.Client();
        Assert.Equal("R1", TestAck.AckedId(await client.SendAsync(TestAck.Message("R1"), ct)));

        await WaitUntilAsync(() => fixture.Meters.Total("sinew.mllp.rejections/idle_timeout") == 1, ct);
        await WaitUntilAsync(() => fixture.Listener.OpenConnections == 0, ct);

        Assert.Equal("R2", TestAck.AckedId(await client.SendAsync(TestAck.Message("R2"), ct)));
        Assert.Equal(2, fixture.Meters.Total("sinew.mllp.connections.accepted"));
    }

    [Fact]
    public async Task Send_NoResponseWithinTimeout_ThrowsTimeoutAndNextSendUsesNewConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var never = new TaskCompletionSource();
        await using var fixture = await ListenerFixture.StartAsync(handler: new GatedHandler(never.Task, "HANG"));
        await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = fixture.EndPoint.Port, ResponseTimeout = TimeSpan.FromMilliseconds(500) });

        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(TestAck.Message("HANG"), ct));
        Assert.False(client.IsConnected);

        Assert.Equal("NEXT", TestAck.AckedId(await client.SendAsync(TestAck.Message("NEXT"), ct)));
        Assert.Equal(2, fixture.Meters.Total("sinew.mllp.connections.accepted"));
        never.SetResult();
    }

    [Fact]
    public async Task Send_PeerClosesWithoutAck_ThrowsIOException()
    {
        var ct = TestContext.Current.CancellationToken;
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();
        await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = ((IPEndPoint)peer.LocalEndpoint).Port });

        var sending = client.SendAsync(TestAck.Message("DROP"), ct);
        using (var accepted = await peer.AcceptSocketAsync(ct))
        {
            var buffer = new byte[16];
            await accepted.ReceiveAsync(buffer, SocketFlags.None, ct);
        }

        await Assert.ThrowsAnyAsync<IOException>(() => sending);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Send_ConcurrentCallersOnOneClient_EachGetsItsOwnAck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync();
        await using var client = fixture.Client();

        var sends = Enumerable.Range(0, 50).Select(async i => (Id: $"K{i}", Ack: await client.SendAsync(TestAck.Message($"K{i}"), ct))).ToArray();
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(r.Id, TestAck.AckedId(r.Ack)));
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.connections.accepted"));
    }

    [Fact]
    public async Task Send_NothingListening_ThrowsSocketException()
    {
        var ct = TestContext.Current.CancellationToken;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port });

        await Assert.ThrowsAsync<SocketException>(() => client.SendAsync(TestAck.Message("NOBODY"), ct));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
