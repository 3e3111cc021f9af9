namespace Sinew.Mllp;

/// <summary>Why the listener refused a frame or a connection; also the <c>reason</c> tag of the rejection counter.</summary>
public enum MllpRejection
{
    /// <summary>A frame grew past <see cref="MllpListenerOptions.MaxFrameBytes"/>; the listener answers with <see cref="IMllpFrameHandler.BuildRejection"/> and closes.</summary>
    FrameTooLarge,

    /// <summary>The handler threw or overran <see cref="MllpListenerOptions.HandlerTimeout"/>; the listener answers with <see cref="IMllpFrameHandler.BuildRejection"/> and closes.</summary>
    HandlerFailed,

    /// <summary>A frame did not complete within <see cref="MllpListenerOptions.FrameTimeout"/> of its start block (slow sender or missing end block); closed without an answer.</summary>
    FrameTimeout,

    /// <summary>No bytes arrived for <see cref="MllpListenerOptions.IdleTimeout"/>; closed.</summary>
    IdleTimeout,

    /// <summary>More bytes outside any frame than <see cref="MllpListenerOptions.MaxFrameBytes"/>; closed.</summary>
    GarbageLimit,

    /// <summary>The peer did not read the response within <see cref="MllpListenerOptions.WriteTimeout"/>; closed.</summary>
    WriteTimeout,

    /// <summary>The connection arrived while <see cref="MllpListenerOptions.MaxConnections"/> were open; accepted and closed at once.</summary>
    TooManyConnections,

    /// <summary>TLS handshake failed: protocol below TLS 1.2, no or untrusted client certificate, or timeout.</summary>
    TlsHandshakeFailed,
}
