namespace Sinew.Reliability.Tests.Peers;

/// <summary>One request as the test HTTP peer received it.</summary>
internal sealed record PeerRequest(DateTimeOffset At, string IdempotencyKey, string Body, int Status);
