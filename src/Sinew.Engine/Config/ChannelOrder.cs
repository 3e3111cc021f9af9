namespace Sinew.Engine.Config;

/// <summary>How strictly a channel's destinations keep order.</summary>
public enum ChannelOrder
{
    /// <summary>FIFO per partition key: a failing message holds back only its own partition.</summary>
    Partition = 0,

    /// <summary>FIFO for the whole destination: a failing message holds back everything behind it.</summary>
    Strict = 1,
}
