namespace Sinew.Mllp;

/// <summary>
/// Who may send on a listener and how fast, consulted once per frame before it is handled: the host's access control
/// plugs in here so the MLLP layer itself stays free of identity and policy.
/// </summary>
public interface IMllpSenderGate
{
    /// <summary>
    /// Waits until the sender may send one more frame. Nothing more is read from that connection while it waits, so a
    /// fast sender is slowed by TCP back-pressure rather than dropped.
    /// </summary>
    ValueTask WaitForTurnAsync(MllpConnectionInfo connection, CancellationToken cancellationToken);

    /// <summary>Null when the sender may send here; otherwise why not, in words safe to send back in an ERR segment.</summary>
    ValueTask<string?> RefuseAsync(MllpConnectionInfo connection, CancellationToken cancellationToken);
}
