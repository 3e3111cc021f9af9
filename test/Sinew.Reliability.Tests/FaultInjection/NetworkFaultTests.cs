using Sinew.FaultProxy;
using Sinew.Reliability.Tests.Peers;
using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.FaultInjection;

/// <summary>
/// The network between Sinew and its peers fails (latency, resets, a black hole, a half-open link) while messages are
/// queued for an HTTP peer and an MLLP peer, each behind a fault proxy. When the fault clears, every message is
/// delivered, each processed exactly once at the peer (idempotency key / MSH-10), in order per partition.
/// </summary>
public sealed class NetworkFaultTests : IAsyncLifetime
{
    private const int PerChannel = 40;
    private readonly TempFolder _folder = new();
    private RecordingHttpPeer _http = null!;
    private readonly MllpAckPeer _mllp = new();
    private FaultProxy.FaultProxy _httpProxy = null!;
    private FaultProxy.FaultProxy _mllpProxy = null!;

    public async ValueTask InitializeAsync()
    {
        _http = await RecordingHttpPeer.StartAsync();
        _httpProxy = FaultProxy.FaultProxy.OnLoopback(_http.Port);
        _mllpProxy = FaultProxy.FaultProxy.OnLoopback(_mllp.Port);
    }

    public static TheoryData<string> Faults => ["latency", "reset", "black-hole", "half-open", "refuse"];

    private static FaultSettings Fault(string name) => name switch
    {
        "latency" => new FaultSettings { Latency = TimeSpan.FromMilliseconds(300), Jitter = TimeSpan.FromMilliseconds(900), BytesPerSecond = 50_000 },
        "reset" => new FaultSettings { Mode = FaultMode.ResetAfterBytes, ResetAfterBytes = 150 },
        "black-hole" => new FaultSettings { Mode = FaultMode.BlackHole },
        "half-open" => new FaultSettings { Mode = FaultMode.HalfOpen },
        "refuse" => new FaultSettings { Mode = FaultMode.Refuse },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task NetworkFault_ThenRecovery_EveryMessageProcessedExactlyOnceInPartitionOrder(string fault)
    {
        _folder.Write("config/channels/to-http.yaml", Channels.HttpToHttp("to-http", _httpProxy.Port));
        _folder.Write("config/channels/to-mllp.yaml", Channels.HttpToMllp("to-mllp", _mllpProxy.Port));
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));

        _httpProxy.Settings = Fault(fault);
        _mllpProxy.Settings = Fault(fault);
        // Connections opened before the fault would carry on unharmed; a real fault hits them too.
        _httpProxy.ResetAll();
        _mllpProxy.ResetAll();
        for (var i = 0; i < PerChannel; i++)
        {
            await sinew.PostAsync("to-http", $"p{i % 4}-{i:D4}", $"h{i}", $"p{i % 4}");
            await sinew.PostAsync("to-mllp", Channels.Hl7($"M{i:D4}", $"PAT{i % 4}"));
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var duringFault = (_http.ProcessedCount, _mllp.Accepted.Count);

        _httpProxy.Settings = FaultSettings.PassThrough;
        _mllpProxy.Settings = FaultSettings.PassThrough;
        var done = await Admin.EventuallyAsync(() => _http.ProcessedCount == PerChannel && _mllp.Accepted.Count == PerChannel, TimeSpan.FromSeconds(60));
        await Task.Delay(500); // anything still in flight would show up as a duplicate now
        Figures.Report("network-fault", $"{fault}: {PerChannel} HTTP + {PerChannel} MLLP messages; processed during the fault {duringFault.ProcessedCount} HTTP / {duringFault.Item2} MLLP; after it cleared {_http.ProcessedCount} / {_mllp.Accepted.Count}; repeats recognised by the peers {_http.Duplicates} HTTP / {_mllp.Duplicates} MLLP");
        Assert.True(done, $"after the {fault} cleared only {_http.ProcessedCount} HTTP and {_mllp.Accepted.Count} MLLP of {PerChannel} each arrived");

        Assert.Equal(PerChannel, _http.ProcessedBodies.Distinct().Count());
        Assert.Equal(PerChannel, _mllp.Accepted.Distinct().Count());
        foreach (var partition in _http.ProcessedBodies.GroupBy(b => b[..2]))
        {
            Assert.Equal(partition.Order(StringComparer.Ordinal), partition);
        }
        foreach (var partition in _mllp.Accepted.GroupBy(c => int.Parse(c[1..], System.Globalization.CultureInfo.InvariantCulture) % 4))
        {
            Assert.Equal(partition.Order(StringComparer.Ordinal), partition);
        }
        Assert.True(await Admin.EventuallyAsync(async () => (await sinew.CountsAsync("to-http")).GetProperty("processed").GetInt64() == PerChannel, TimeSpan.FromSeconds(10)));
        var queues = await sinew.GetJsonAsync("api/v1/queues");
        Assert.All(queues.EnumerateArray(), q => Assert.Equal(0, q.GetProperty("deadLetters").GetInt64()));
    }

    public async ValueTask DisposeAsync()
    {
        await _httpProxy.DisposeAsync();
        await _mllpProxy.DisposeAsync();
        await _http.DisposeAsync();
        await _mllp.DisposeAsync();
        _folder.Dispose();
    }
}
