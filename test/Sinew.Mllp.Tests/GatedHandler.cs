using System.Buffers;

namespace Sinew.Mllp.Tests;

/// <summary>Holds frames (all, or those with one MSH-10) until a gate opens, like a slow journal commit.</summary>
internal sealed class GatedHandler : IMllpFrameHandler
{
    private readonly Task _gate;
    private readonly string? _onlyControlId;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GatedHandler(Task gate, string? onlyControlId = null)
    {
        _gate = gate;
        _onlyControlId = onlyControlId;
    }

    /// <summary>Completes when a gated frame reached the handler.</summary>
    public Task Entered => _entered.Task;

    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        var controlId = TestAck.ControlId(payload);
        if (_onlyControlId is null || _onlyControlId == controlId)
        {
            _entered.TrySetResult();
            await _gate.WaitAsync(cancellationToken);
        }

        return TestAck.Ack(controlId);
    }

    public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload) =>
        TestAck.Reject(reason.ToString(), TestAck.ControlId(partialPayload));
}
