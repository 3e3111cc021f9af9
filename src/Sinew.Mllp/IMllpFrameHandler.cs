using System.Buffers;

namespace Sinew.Mllp;

/// <summary>
/// Gives meaning to MLLP frames: the listener hands it each complete frame and writes back, framed, the bytes it returns.
/// </summary>
/// <remarks>
/// The listener awaits one frame at a time per connection, so responses on a connection keep the order of the frames;
/// different connections call the handler concurrently. The payload is only valid until the returned task completes.
/// The returned memory must stay valid until the next call on the same connection. An empty response writes nothing.
/// </remarks>
public interface IMllpFrameHandler
{
    /// <summary>Handles one frame (e.g. commits it to the journal and builds the ACK) and returns the response payload, unframed.</summary>
    ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken);

    /// <summary>
    /// Builds the response payload the listener sends before closing a connection for <paramref name="reason"/>
    /// (<see cref="MllpRejection.FrameTooLarge"/> or <see cref="MllpRejection.HandlerFailed"/>);
    /// <paramref name="partialPayload"/> holds at most <see cref="MllpListenerOptions.MaxFrameBytes"/> bytes of the refused frame.
    /// </summary>
    ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload);
}
