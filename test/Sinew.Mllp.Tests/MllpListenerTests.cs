namespace Sinew.Mllp.Tests;

public sealed class MllpListenerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Listener_ManyConcurrentConnections_EachGetsItsAcksInOrder(bool inlineReceives)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync(o => o with { InlineReceives = inlineReceives });
        const int connections = 32;
        const int framesEach = 40;

        var senders = Enumerable.Range(0, connections).Select(async c =>
        {
            await using var client = fixture.Client();
            for (var i = 0; i < framesEach; i++)
            {
                var id = $"C{c}-M{i}";
                var ack = await client.SendAsync(TestAck.Message(id), ct);
                Assert.Equal(id, TestAck.AckedId(ack));
            }
        });
        await Task.WhenAll(senders);

        Assert.Equal(connections * framesEach, fixture.Handler.Frames);
        Assert.Equal(connections * framesEach, fixture.Meters.Total("sinew.mllp.frames.received"));
    }

    [Fact]
    public async Task Listener_ConnectionsComingAndGoingMidFrame_LongLivedConnectionKeepsGettingAcks()
    {
        // Closed connections free their socket numbers for new ones at once: the poller must never act on a number that
        // another connection now holds (a wrong removal would leave that connection's read waiting for ever).
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync();
        await using var steady = fixture.Client();
        var churn = Enumerable.Range(0, 4).Select(async worker =>
        {
            for (var i = 0; i < 50; i++)
            {
                using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
                var frame = RawPeer.Frame(TestAck.Message($"X{worker}-{i}"));
                if (i % 2 == 0)
                {
                    await peer.SendAsync(frame, ct);
                    Assert.Equal($"X{worker}-{i}", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
                }
                else
                {
                    await peer.SendAsync(frame[..(frame.Length / 2)], ct); // leaves inside a frame
                }
            }
        }).ToList();

        var sent = 0;
        while (churn.Any(task => !task.IsCompleted) || sent < 20)
        {
            var id = $"S{sent++}";
            Assert.Equal(id, TestAck.AckedId(await steady.SendAsync(TestAck.Message(id), ct)));
        }

        await Task.WhenAll(churn);
        await fixture.Listener.StopAsync(ct);
        Assert.Equal(0, fixture.Listener.OpenConnections);
    }

    [Fact]
    public async Task Listener_FramesPipelinedInOneWrite_AnswersEachInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await ListenerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);

        var burst = Enumerable.Range(0, 25).SelectMany(i => RawPeer.Frame(TestAck.Message($"P{i}"))).ToArray();
        await peer.SendAsync(burst, ct);

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal($"P{i}", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Listener_FramesSplitAtRandomPointsWithNoiseBetween_AnswersEachInOrder(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(seed);
        await using var fixture = await ListenerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        const int frames = 30;
        var stream = new List<byte>();
        for (var i = 0; i < frames; i++)
        {
            stream.AddRange(Enumerable.Range(0, random.Next(0, 4)).Select(_ => (byte)"\r\n x"[random.Next(4)]));
            stream.AddRange(RawPeer.Frame(TestAck.Message($"R{seed}-{i}")));
        }

        var sending = Task.Run(
            async () =>
            {
                for (var offset = 0; offset < stream.Count;)
                {
                    var length = Math.Min(random.Next(1, 64), stream.Count - offset);
                    await peer.SendAsync(stream.GetRange(offset, length).ToArray(), ct);
                    offset += length;
                }
            },
            ct);

        for (var i = 0; i < frames; i++)
        {
            Assert.Equal($"R{seed}-{i}", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        }

        await sending;
    }

    [Fact]
    public async Task Listener_SlowHandlerOnOneConnection_DoesNotDelayAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fixture = await ListenerFixture.StartAsync(handler: new GatedHandler(gate.Task, "BLOCK"));
        using var blocked = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        await blocked.SendAsync(RawPeer.Frame(TestAck.Message("BLOCK")), ct);

        using var other = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        await other.SendAsync(RawPeer.Frame(TestAck.Message("FREE")), ct);

        Assert.Equal("FREE", TestAck.AckedId(await other.ReceiveFrameAsync(ct)));
        gate.SetResult();
        Assert.Equal("BLOCK", TestAck.AckedId(await blocked.ReceiveFrameAsync(ct)));
    }

    [Fact]
    public async Task StopAsync_FrameInFlight_FinishesItThenCloses()
    {
        var ct = TestContext.Current.CancellationToken;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler(gate.Task);
        var fixture = await ListenerFixture.StartAsync(handler: handler);
        using var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct);
        await peer.SendAsync(RawPeer.Frame(TestAck.Message("INFLIGHT")), ct);
        await handler.Entered.WaitAsync(TimeSpan.FromSeconds(20), ct);

        var stopping = fixture.Listener.StopAsync(ct);
        gate.SetResult();

        Assert.Equal("INFLIGHT", TestAck.AckedId(await peer.ReceiveFrameAsync(ct)));
        await stopping.WaitAsync(TimeSpan.FromSeconds(20), ct);
        await peer.WaitForCloseAsync(TimeSpan.FromSeconds(20), ct);
        await fixture.DisposeAsync();
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesEverySetting()
    {
        var options = new MllpListenerOptions
        {
            EndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            MaxFrameBytes = 0,
            FrameTimeout = TimeSpan.Zero,
        };

        var error = Assert.Throws<ArgumentException>(() => new MllpListener(options, new AckingHandler()));

        Assert.Contains("MaxFrameBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("FrameTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsBelowVersion12_Refused()
    {
#pragma warning disable SYSLIB0039, CA5397 // The point is to check TLS 1.1 is refused.
        var tls = new MllpServerTlsOptions { Certificate = TestCertificates.Instance.Server, EnabledProtocols = System.Security.Authentication.SslProtocols.Tls11 | System.Security.Authentication.SslProtocols.Tls12 };
#pragma warning restore SYSLIB0039, CA5397
        var options = new MllpListenerOptions { EndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), Tls = tls };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("Tls.EnabledProtocols", StringComparison.Ordinal));
    }
}
