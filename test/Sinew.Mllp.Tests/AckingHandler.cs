using System.Buffers;

namespace Sinew.Mllp.Tests;

/// <summary>Answers every frame with an AA ACK for its MSH-10, as the engine will after its journal commit.</summary>
internal sealed class AckingHandler : IMllpFrameHandler
{
    private int _frames;

    public int Frames => Volatile.Read(ref _frames);

    public List<MllpRejection> Rejections { get; } = [];

    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        // Like a journal commit, honour the token: a timer left armed from a previous frame would show here.
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _frames);
        return ValueTask.FromResult<ReadOnlyMemory<byte>>(TestAck.Ack(TestAck.ControlId(payload)));
    }

    public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload)
    {
        lock (Rejections)
        {
            Rejections.Add(reason);
        }

        return TestAck.Reject(reason.ToString(), TestAck.ControlId(partialPayload));
    }
}
