using System.Buffers;

namespace Sinew.Mllp.Tests;

/// <summary>Answers every frame with an AA ACK for its MSH-10, as the engine will after its journal commit.</summary>
internal sealed class AckingHandler : IMllpFrameHandler
{
    private int _frames;

    public int Frames => Volatile.Read(ref _frames);

    public List<MllpRejection> Rejections { get; } = [];

    /// <summary>Optional work before answering, e.g. a delay or a gate.</summary>
    public Func<CancellationToken, Task>? BeforeAnswer { get; init; }

    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _frames);
        var controlId = TestAck.ControlId(payload);
        if (BeforeAnswer is not null)
        {
            await BeforeAnswer(cancellationToken);
        }

        return TestAck.Ack(controlId);
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
