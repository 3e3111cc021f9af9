namespace Sinew.Reliability.Tests.Peers;

/// <summary>What the test HTTP peer answers to one request: a status, an optional Retry-After, an optional delay first.</summary>
internal sealed record PeerAnswer(int Status, TimeSpan? RetryAfter = null, TimeSpan Delay = default)
{
    public static PeerAnswer Ok { get; } = new(200);
}
