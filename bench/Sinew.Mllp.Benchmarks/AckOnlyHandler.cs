using System.Buffers;
using Sinew.Mllp;

namespace Sinew.Mllp.Benchmarks;

/// <summary>Answers every frame with the same ACK and does nothing else: the transport's ceiling.</summary>
internal sealed class AckOnlyHandler : IMllpFrameHandler
{
    private static readonly byte[] Ack = "MSH|^~\\&|RCV|FAC|SND|FAC|20260101000000||ACK|A1|P|2.5\rMSA|AA|1\r"u8.ToArray();

    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>>(Ack);

    public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload) => Ack;
}
