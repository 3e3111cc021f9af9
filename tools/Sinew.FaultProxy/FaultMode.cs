namespace Sinew.FaultProxy;

/// <summary>What the proxy does to the bytes between a client and its target; the faults a network really shows.</summary>
public enum FaultMode
{
    /// <summary>Bytes go through unchanged (after any latency and bandwidth limit set alongside).</summary>
    PassThrough,

    /// <summary>The connection is reset (RST) once this many bytes have gone through it, in either direction.</summary>
    ResetAfterBytes,

    /// <summary>Connections are accepted and read, but nothing is forwarded and nothing is answered; they never close.</summary>
    BlackHole,

    /// <summary>Requests are forwarded, responses are dropped, and the client's side is never closed.</summary>
    HalfOpen,

    /// <summary>New connections are reset at once (as a firewall rejecting with a TCP reset); open ones carry on.</summary>
    Refuse,
}
