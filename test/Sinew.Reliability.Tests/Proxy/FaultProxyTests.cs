using System.Diagnostics;
using System.Net.Sockets;
using Sinew.FaultProxy;

namespace Sinew.Reliability.Tests.Proxy;

/// <summary>Each fault of the proxy, against a real echo server, so the fault-injection suites rest on a tested tool.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private readonly EchoServer _echo = new();
    private FaultProxy.FaultProxy _proxy = null!;

    public ValueTask InitializeAsync()
    {
        _proxy = FaultProxy.FaultProxy.OnLoopback(_echo.Port);
        return ValueTask.CompletedTask;
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", _proxy.Port, TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Reads until <paramref name="count"/> bytes came, the peer closed or reset, or <paramref name="wait"/> passed.</summary>
    private static async Task<(int Read, string End)> ReadAsync(TcpClient client, int count, TimeSpan wait)
    {
        var buffer = new byte[count + 1024];
        var total = 0;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            while (total < count)
            {
                var read = await client.GetStream().ReadAsync(buffer.AsMemory(total), timeout.Token);
                if (read == 0)
                {
                    return (total, "closed");
                }
                total += read;
            }
            return (total, "complete");
        }
        catch (OperationCanceledException)
        {
            return (total, "silent");
        }
        catch (IOException)
        {
            return (total, "reset");
        }
    }

    [Fact]
    public async Task PassThrough_BytesComeBackUnchanged()
    {
        using var client = await ConnectAsync();
        var data = new byte[100_000];
        Random.Shared.NextBytes(data);
        await client.GetStream().WriteAsync(data, TestContext.Current.CancellationToken);
        var (read, end) = await ReadAsync(client, data.Length, TimeSpan.FromSeconds(10));
        Assert.Equal((data.Length, "complete"), (read, end));
        Assert.Equal(data.Length, _proxy.BytesUp);
    }

    [Fact]
    public async Task Latency_EachDirectionWaitsAtLeastTheLatency()
    {
        _proxy.Settings = new FaultSettings { Latency = TimeSpan.FromMilliseconds(300), Jitter = TimeSpan.FromMilliseconds(50) };
        using var client = await ConnectAsync();
        var started = Stopwatch.GetTimestamp();
        await client.GetStream().WriteAsync(new byte[] { 1, 2, 3 }, TestContext.Current.CancellationToken);
        var (read, _) = await ReadAsync(client, 3, TimeSpan.FromSeconds(10));
        Assert.Equal(3, read);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(600), "a round trip crosses the proxy twice, 300 ms each way at least");
    }

    [Fact]
    public async Task Bandwidth_LimitsBytesPerSecond()
    {
        _proxy.Settings = new FaultSettings { BytesPerSecond = 20_000 };
        using var client = await ConnectAsync();
        var started = Stopwatch.GetTimestamp();
        await client.GetStream().WriteAsync(new byte[40_000], TestContext.Current.CancellationToken);
        var (read, _) = await ReadAsync(client, 40_000, TimeSpan.FromSeconds(20));
        Assert.Equal(40_000, read);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.8), "40 KB at 20 KB/s takes 2 s at least");
    }

    [Fact]
    public async Task ResetAfterBytes_ConnectionIsResetOnceTheBudgetIsCarried()
    {
        _proxy.Settings = new FaultSettings { Mode = FaultMode.ResetAfterBytes, ResetAfterBytes = 1_000 };
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(new byte[400], TestContext.Current.CancellationToken);
        var first = await ReadAsync(client, 400, TimeSpan.FromSeconds(5));
        Assert.Equal((400, "complete"), first);
        try
        {
            await client.GetStream().WriteAsync(new byte[400], TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
        }
        var second = await ReadAsync(client, 400, TimeSpan.FromSeconds(5));
        Assert.True(second.Read < 400 && second.End is "reset" or "closed", $"the 800 bytes back would pass the 1,000 byte budget; got {second}");
        Assert.True(_proxy.BytesUp + _proxy.BytesDown <= 1_000);
    }

    [Fact]
    public async Task BlackHole_AcceptsAndReadsButNeverForwardsOrAnswers()
    {
        _proxy.Settings = new FaultSettings { Mode = FaultMode.BlackHole };
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(new byte[5_000], TestContext.Current.CancellationToken);
        var result = await ReadAsync(client, 1, TimeSpan.FromMilliseconds(800));
        Assert.Equal((0, "silent"), result);
        Assert.Equal(0, _echo.Received);
        Assert.Equal(1, _proxy.Open);
    }

    [Fact]
    public async Task HalfOpen_ForwardsRequestsDropsResponsesAndNeverCloses()
    {
        _proxy.Settings = new FaultSettings { Mode = FaultMode.HalfOpen };
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(new byte[5_000], TestContext.Current.CancellationToken);
        Assert.True(await Support.Admin.EventuallyAsync(() => _echo.Received == 5_000, TimeSpan.FromSeconds(5)));
        _echo.CloseAll();
        var result = await ReadAsync(client, 1, TimeSpan.FromMilliseconds(800));
        Assert.Equal((0, "silent"), result);
        Assert.Equal(0, _proxy.BytesDown);
    }

    [Fact]
    public async Task Refuse_NewConnectionsAreResetAtOnce_AndPassThroughRestoresThem()
    {
        _proxy.Settings = new FaultSettings { Mode = FaultMode.Refuse };
        using (var refused = new TcpClient())
        {
            string end;
            try
            {
                await refused.ConnectAsync("127.0.0.1", _proxy.Port, TestContext.Current.CancellationToken);
                await refused.GetStream().WriteAsync(new byte[] { 1 }, TestContext.Current.CancellationToken);
                end = (await ReadAsync(refused, 1, TimeSpan.FromSeconds(5))).End;
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                end = "reset";
            }
            Assert.True(end is "reset" or "closed", $"expected a reset, got {end}");
        }
        Assert.Equal(0, _echo.Received);

        _proxy.Settings = FaultSettings.PassThrough;
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(new byte[] { 7, 8 }, TestContext.Current.CancellationToken);
        Assert.Equal((2, "complete"), await ReadAsync(client, 2, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ResetAll_ResetsOpenConnections()
    {
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(new byte[] { 1 }, TestContext.Current.CancellationToken);
        Assert.Equal((1, "complete"), await ReadAsync(client, 1, TimeSpan.FromSeconds(5)));
        _proxy.ResetAll();
        var result = await ReadAsync(client, 1, TimeSpan.FromSeconds(5));
        Assert.True(result.End is "reset" or "closed", $"expected a reset, got {result}");
    }

    [Fact]
    public void Command_ParsesEverySetting_AndRefusesUnknownOnes()
    {
        var settings = FaultCommand.Apply(FaultSettings.PassThrough, ["--mode", "half-open", "--latency", "200ms", "--jitter", "1s", "--bandwidth", "5000"], out var errors);
        Assert.Empty(errors);
        Assert.Equal(new FaultSettings { Mode = FaultMode.HalfOpen, Latency = TimeSpan.FromMilliseconds(200), Jitter = TimeSpan.FromSeconds(1), BytesPerSecond = 5000 }, settings);
        Assert.Equal(FaultMode.ResetAfterBytes, FaultCommand.Apply(settings, ["--reset-after", "10"], out _).Mode);

        var unchanged = FaultCommand.Apply(settings, ["--mode", "sideways", "--latnecy", "1s"], out errors);
        Assert.Same(settings, unchanged);
        Assert.Contains(errors, e => e.Contains("sideways", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--latnecy", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _echo.DisposeAsync();
    }
}
