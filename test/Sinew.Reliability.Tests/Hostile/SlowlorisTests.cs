using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sinew.Mllp;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>
/// Slowloris: 1,000 sockets (500 on the MLLP port, 500 on the HTTP port) trickle a byte at a time while real senders
/// send; the real traffic is still acknowledged, and its latency (p99) is the figure.
/// </summary>
public sealed class SlowlorisTests : IDisposable
{
    private const int SlowPerPort = 500;
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task ThousandTricklingSockets_RealHttpAndMllpTrafficStillAcknowledged_ProcessUp()
    {
        _folder.Write("config/channels/real.yaml", "name: real\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/real}]\n");
        _folder.Write("config/channels/mllp.yaml", "name: mllp\nsource: {type: mllp, listen: 127.0.0.1:0, validate: false, maxConnections: 2000}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/mllp}]\n");
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
        var mllpPort = SinewOutput.MllpPort(sinew, "mllp");
        var rssBefore = ChildProcess.RssBytes(sinew.Id);

        // Quiet baseline first, then the same traffic under attack.
        var (baseHttp, baseMllp) = await RealTrafficAsync(sinew, mllpPort, "base");
        var slow = new List<Socket>();
        for (var i = 0; i < SlowPerPort * 2; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, i % 2 == 0 ? mllpPort : sinew.BaseUrl.Port, TestContext.Current.CancellationToken);
            await socket.SendAsync(i % 2 == 0 ? "\vMSH|^~\\&|SLOW"u8.ToArray() : "POST /in/real HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            slow.Add(socket);
        }
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var socket in slow)
                {
                    try
                    {
                        socket.Send("x"u8, SocketFlags.None);
                    }
                    catch (SocketException)
                    {
                    }
                }
                await Task.Delay(500);
            }
        });
        var (attackHttp, attackMllp) = await RealTrafficAsync(sinew, mllpPort, "attack");
        await stop.CancelAsync();
        await trickle;
        var stillOpen = slow.Count(s => !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0));
        foreach (var socket in slow)
        {
            socket.Dispose();
        }

        using var live = await sinew.Http.GetAsync("health/live", TestContext.Current.CancellationToken);
        var rssAfter = ChildProcess.RssBytes(sinew.Id);
        Figures.Report("slowloris", $"{SlowPerPort} MLLP + {SlowPerPort} HTTP trickling sockets ({stillOpen} still open at the end); real traffic 200 HTTP POSTs + 100 MLLP messages: HTTP p50/p99 {Percentiles.Of(baseHttp, 50):0.0}/{Percentiles.Of(baseHttp, 99):0.0} ms quiet → {Percentiles.Of(attackHttp, 50):0.0}/{Percentiles.Of(attackHttp, 99):0.0} ms under attack; MLLP p50/p99 {Percentiles.Of(baseMllp, 50):0.0}/{Percentiles.Of(baseMllp, 99):0.0} → {Percentiles.Of(attackMllp, 50):0.0}/{Percentiles.Of(attackMllp, 99):0.0} ms; RSS {rssBefore / 1048576} → {rssAfter / 1048576} MB");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(200, attackHttp.Count);
        Assert.Equal(100, attackMllp.Count);
        Assert.True(rssAfter - rssBefore < 300L * 1024 * 1024, $"RSS grew from {rssBefore / 1048576} to {rssAfter / 1048576} MB");
    }

    /// <summary>4 HTTP senders × 50 POSTs and 2 MLLP senders × 50 messages, each waiting for its answer; returns the latencies of those acknowledged.</summary>
    private static async Task<(List<double> Http, List<double> Mllp)> RealTrafficAsync(SinewProcess sinew, int mllpPort, string run)
    {
        var http = new ConcurrentBag<double>();
        var mllp = new ConcurrentBag<double>();
        var tasks = new List<Task>();
        for (var s = 0; s < 4; s++)
        {
            var lane = s;
            tasks.Add(Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await sinew.Http.PostAsync("in/real", new StringContent($"{run}-{lane}-{i}"));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        http.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }));
        }
        for (var s = 0; s < 2; s++)
        {
            var lane = s;
            tasks.Add(Task.Run(async () =>
            {
                await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = mllpPort, ResponseTimeout = TimeSpan.FromSeconds(30) });
                for (var i = 0; i < 50; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var ack = await client.SendAsync(Encoding.ASCII.GetBytes(Support.Channels.Hl7($"{run}{lane}-{i}", "P1")), CancellationToken.None);
                    if (MllpAck.Msa(ack).Code == "AA")
                    {
                        mllp.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }));
        }
        await Task.WhenAll(tasks);
        return ([.. http], [.. mllp]);
    }

    public void Dispose() => _folder.Dispose();
}
