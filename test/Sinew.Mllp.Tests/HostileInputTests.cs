using System.Buffers;
using System.Text;

namespace Sinew.Mllp.Tests;

public sealed class HostileInputTests
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OversizedFrameWithoutEnd_GetsRejectionThenClose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxFrameBytes = 1024 });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync([MllpFraming.StartBlock, .. TestAck.Message("BIG"), .. new byte[8192]], ct);

        var rejection = Encoding.ASCII.GetString(await peer.ReceiveFrameAsync(ct));
        Assert.Contains("MSA|AR|BIG", rejection, StringComparison.Ordinal);
        Assert.Contains("FrameTooLarge", rejection, StringComparison.Ordinal);
        await peer.WaitForCloseAsync(CloseWithin, ct);
        Assert.Equal(0, fixture.Handler.Frames);
        Assert.Equal([MllpRejection.FrameTooLarge], fixture.Handler.Rejections);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/frame_too_large"));
    }

    [Fact]
    public async Task OversizedCompleteFrame_GetsRejectionThenClose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxFrameBytes = 100 });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync(RawPeer.Frame([.. TestAck.Message("BIG2"), .. "OBX|1|ED|PDF||"u8.ToArray(), .. new byte[200]]), ct);

        Assert.Contains("MSA|AR|BIG2", Encoding.ASCII.GetString(await peer.ReceiveFrameAsync(ct)), StringComparison.Ordinal);
        await peer.WaitForCloseAsync(CloseWithin, ct);
        Assert.Equal(0, fixture.Handler.Frames);
    }

    [Fact]
    public async Task MissingEndBlock_ClosedByFrameTimeoutWithoutAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { FrameTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromMinutes(5) });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync([MllpFraming.StartBlock, .. TestAck.Message("NOEND")], ct);

        await Assert.ThrowsAsync<IOException>(() => peer.ReceiveFrameAsync(ct));
        Assert.Equal(0, fixture.Handler.Frames);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/frame_timeout"));
    }

    [Fact]
    public async Task GarbageBetweenFrames_SkippedCountedAndNextFrameAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync([.. "noise\r\n"u8.ToArray(), .. RawPeer.Frame(TestAck.Message("G1")), .. "\r\n\u001c\rjunk"u8.ToArray()], ct);
        Assert.Equal("G1", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        await peer.SendAsync(RawPeer.Frame(TestAck.Message("G2")), ct);

        Assert.Equal("G2", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        Assert.Equal(2, fixture.Handler.Frames);
        // "noise\r\n" (7) before the first frame, "\r\n FS CR junk" (8) after it.
        Assert.Equal(15, fixture.Meters.Total("sinew.mllp.garbage.bytes"));
    }

    [Fact]
    public async Task EndlessGarbageWithoutStartBlock_ClosedPastGarbageLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxFrameBytes = 100, IdleTimeout = TimeSpan.FromMinutes(5) });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync(Enumerable.Repeat((byte)'A', 500).ToArray(), ct);

        await peer.WaitForCloseAsync(CloseWithin, ct);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/garbage_limit"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PeerThatNeverReadsItsAcks_ClosedAfterWriteTimeout_WhileOthersKeepGettingAcks(bool inlineReceives)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { WriteTimeout = TimeSpan.FromSeconds(1), InlineReceives = inlineReceives });
        using var hog = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await hog.ConnectAsync(fixture.EndPoint, ct);

        // Frames keep coming and no ACK is read: the listener's sends fill both socket buffers and then wait.
        var flooding = Task.Run(() => RawPeer.FloodUntilClosedAsync(
            async (burst, token) => await hog.SendAsync(burst, System.Net.Sockets.SocketFlags.None, token), CloseWithin, ct), ct);

        await using (var client = fixture.Client())
        {
            Assert.Equal("W1", TestAck.AckedId(await client.SendAsync(TestAck.Message("W1"), ct)));
        }

        Assert.True(await flooding, "the listener never closed the connection that did not read its ACKs");
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/write_timeout"));
    }

    [Fact]
    public async Task IdleConnection_ClosedAfterIdleTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        await peer.SendAsync(RawPeer.Frame(TestAck.Message("I1")), ct);
        Assert.Equal("I1", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));

        await peer.WaitForCloseAsync(CloseWithin, ct);

        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/idle_timeout"));
    }

    [Fact]
    public async Task ConnectionOverMaxConnections_ClosedAtOnceAndSlotReusedAfterAClose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxConnections = 2, IdleTimeout = TimeSpan.FromMinutes(5) });
        using var first = await ServedPeerAsync(fixture, "A", ct);
        var second = await ServedPeerAsync(fixture, "B", ct);

        using (var third = await RawPeer.ConnectAsync(fixture.EndPoint, ct))
        {
            await third.WaitForCloseAsync(CloseWithin, ct);
        }

        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/too_many_connections"));
        second.Dispose();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CloseWithin);
        while (fixture.Listener.OpenConnections > 1)
        {
            await Task.Delay(50, timeout.Token);
        }

        using var fourth = await ServedPeerAsync(fixture, "D", ct);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/too_many_connections"));
    }

    [Fact]
    public async Task ThousandIdleSockets_ClosedOrRefusedWhileWellBehavedClientKeepsGettingAcks()
    {
        var ct = TestContext.Current.CancellationToken;
        const int idleSockets = 1000;
        Assert.SkipWhen(OpenFileLimit() < 2 * idleSockets + 500, $"Needs at least {2 * idleSockets + 500} open files (ulimit -n) for both ends of {idleSockets} sockets in one process; the limit is {OpenFileLimit()}.");
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxConnections = 200, IdleTimeout = TimeSpan.FromSeconds(2) });
        await using var client = fixture.Client();
        Assert.Equal("W0", TestAck.AckedId(await client.SendAsync(TestAck.Message("W0"), ct)));

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var acked = 0;
        var wellBehaved = Task.Run(
            async () =>
            {
                for (var i = 1; !stopSending.IsCancellationRequested; i++)
                {
                    Assert.Equal($"W{i}", TestAck.AckedId(await client.SendAsync(TestAck.Message($"W{i}"), ct)));
                    acked++;
                    await Task.Delay(50, ct);
                }
            },
            ct);

        var peers = new List<RawPeer>();
        try
        {
            for (var batch = 0; batch < idleSockets / 100; batch++)
            {
                peers.AddRange(await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => RawPeer.ConnectAsync(fixture.EndPoint, ct))));
            }

            await Task.WhenAll(peers.Select(p => p.WaitForCloseAsync(CloseWithin, ct)));
        }
        finally
        {
            await stopSending.CancelAsync();
            peers.ForEach(p => p.Dispose());
        }

        await wellBehaved.WaitAsync(CloseWithin, CancellationToken.None);
        Assert.True(acked > 0);
        Assert.Equal(
            idleSockets,
            fixture.Meters.Total("sinew.mllp.rejections/idle_timeout") + fixture.Meters.Total("sinew.mllp.rejections/too_many_connections"));
        Assert.Equal("WZ", TestAck.AckedId(await client.SendAsync(TestAck.Message("WZ"), ct)));
    }

    [Fact]
    public async Task OneBytePerSecondSender_CutByFrameTimeoutWhileWellBehavedClientKeepsGettingAcks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { FrameTimeout = TimeSpan.FromSeconds(3), IdleTimeout = TimeSpan.FromMinutes(5) });
        await using var client = fixture.Client();
        using var slow = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        var slowFrame = RawPeer.Frame(TestAck.Message("SLOW"));

        var trickle = slow.TrickleAsync(slowFrame, TimeSpan.FromSeconds(1), ct);
        var acked = 0;
        while (!trickle.IsCompleted)
        {
            Assert.Equal($"F{acked}", TestAck.AckedId(await client.SendAsync(TestAck.Message($"F{acked}"), ct)));
            acked++;
            await Task.Delay(100, ct);
        }

        var sent = await trickle;
        Assert.True(sent < slowFrame.Length, $"the slow sender got all {sent} bytes through");
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/frame_timeout"));
        Assert.Equal(acked, fixture.Handler.Frames);
        Assert.True(acked > 0);
    }

    [Fact]
    public async Task HandlerThrows_GetsRejectionThenClose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(handler: new ThrowingHandler());
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync(RawPeer.Frame(TestAck.Message("BOOM")), ct);

        var rejection = Encoding.ASCII.GetString(await peer.ReceiveFrameAsync(ct));
        Assert.Contains("MSA|AR|BOOM", rejection, StringComparison.Ordinal);
        Assert.Contains("HandlerFailed", rejection, StringComparison.Ordinal);
        await peer.WaitForCloseAsync(CloseWithin, ct);
    }

    [Fact]
    public async Task HandlerOverrunsHandlerTimeout_GetsRejectionThenClose()
    {
        var ct = TestContext.Current.CancellationToken;
        var never = new TaskCompletionSource();
        await using var fixture = await ListenerFixture.StartAsync(o => o with { HandlerTimeout = TimeSpan.FromMilliseconds(300) }, new GatedHandler(never.Task));
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        await peer.SendAsync(RawPeer.Frame(TestAck.Message("STUCK")), ct);

        Assert.Contains("MSA|AR|STUCK", Encoding.ASCII.GetString(await peer.ReceiveFrameAsync(ct)), StringComparison.Ordinal);
        await peer.WaitForCloseAsync(CloseWithin, ct);
        Assert.Equal(1, fixture.Meters.Total("sinew.mllp.rejections/handler_failed"));
    }

    [Fact]
    public async Task FramesSpacedWiderThanHandlerTimeout_EachAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { HandlerTimeout = TimeSpan.FromMilliseconds(300) });
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        for (var i = 0; i < 3; i++)
        {
            await peer.SendAsync(RawPeer.Frame(TestAck.Message($"S{i}")), ct);
            Assert.Equal($"S{i}", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
            await Task.Delay(TimeSpan.FromMilliseconds(600), ct);
        }

        Assert.Equal(0, fixture.Meters.Total("sinew.mllp.rejections/handler_failed"));
    }

    private static async Task<RawPeer> ServedPeerAsync(ListenerFixture fixture, string controlId, CancellationToken ct)
    {
        var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        await peer.SendAsync(RawPeer.Frame(TestAck.Message(controlId)), ct);
        Assert.Equal(controlId, TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        return peer;
    }

    /// <summary>Soft limit on open files from /proc (Linux); unlimited where that cannot be read.</summary>
    private static long OpenFileLimit()
    {
        const string limits = "/proc/self/limits";
        if (!File.Exists(limits))
        {
            return long.MaxValue;
        }

        foreach (var line in File.ReadLines(limits))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(soft, out var value) ? value : long.MaxValue;
            }
        }

        return long.MaxValue;
    }

    private sealed class ThrowingHandler : IMllpFrameHandler
    {
        public ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("journal unavailable");

        public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload) =>
            TestAck.Reject(reason.ToString(), TestAck.ControlId(partialPayload));
    }
}
