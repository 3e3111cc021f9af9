using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>The checks every hostile case ends with: the process is up, nothing was stored, memory stayed bounded.</summary>
internal sealed class HostileCase
{
    /// <summary>Growth of the child's RSS a case may cause; far below what any of the inputs would need if held whole.</summary>
    private const long MaxRssGrowth = 200L * 1024 * 1024;

    private readonly HostileFixture _fixture;
    private readonly string _name;
    private readonly string? _channel;
    private readonly long _rssBefore;
    private readonly long _totalBefore;
    private readonly long _rejectedBefore;

    private HostileCase(HostileFixture fixture, string name, string? channel, long rssBefore, long totalBefore, long rejectedBefore)
    {
        _rejectedBefore = rejectedBefore;
        _fixture = fixture;
        _name = name;
        _channel = channel;
        _rssBefore = rssBefore;
        _totalBefore = totalBefore;
    }

    public static async Task<HostileCase> BeginAsync(HostileFixture fixture, string name, string? channel)
    {
        var counts = channel is null ? default : await fixture.Sinew.CountsAsync(channel);
        return channel is null
            ? new HostileCase(fixture, name, channel, fixture.Rss, 0, 0)
            : new HostileCase(fixture, name, channel, fixture.Rss, counts.GetProperty("total").GetInt64(), counts.GetProperty("rejected").GetInt64());
    }

    /// <summary>
    /// Asserts the process is live, <paramref name="stored"/> messages were accepted on the channel and
    /// <paramref name="keptAsRejected"/> kept for inspection as rejected (invariant 5) and nothing else, and RSS grew little.
    /// </summary>
    public async Task EndAsync(string answer, long stored = 0, long keptAsRejected = 0)
    {
        Assert.True(await _fixture.IsLiveAsync(), $"{_name}: sinew is no longer live");
        var after = _fixture.Rss;
        if (_channel is not null)
        {
            var counts = await _fixture.Sinew.CountsAsync(_channel);
            Assert.Equal(_totalBefore + stored + keptAsRejected, counts.GetProperty("total").GetInt64());
            Assert.Equal(_rejectedBefore + keptAsRejected, counts.GetProperty("rejected").GetInt64());
        }
        Figures.Report("hostile", $"{_name}: {answer}; RSS {_rssBefore / 1048576} → {after / 1048576} MB");
        Assert.True(after - _rssBefore < MaxRssGrowth, $"{_name}: RSS grew from {_rssBefore / 1048576} to {after / 1048576} MB");
    }
}
