namespace Sinew.Core.Journal;

/// <summary>How many inbox messages of a channel stand in each status.</summary>
public sealed record ChannelCounts(string Channel, long Received, long Processed, long Filtered, long Failed, long Rejected)
{
    public long Discarded { get; init; }

    public long Total => Received + Processed + Filtered + Failed + Rejected + Discarded;
}
