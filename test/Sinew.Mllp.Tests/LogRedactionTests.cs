using System.Buffers;
using System.Text;

namespace Sinew.Mllp.Tests;

public sealed class LogRedactionTests
{
    private const string PatientId = "PATIENT-9431";

    [Fact]
    public async Task Logs_FramesGarbageOversizeAndHandlerFailure_NeverContainMessageContent()
    {
        var ct = TestContext.Current.CancellationToken;
        var logger = new RecordingLogger();
        await using var fixture = await ListenerFixture.StartAsync(o => o with { MaxFrameBytes = 300 }, new ContentQuotingHandler(), logger);

        using (var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct))
        {
            await peer.SendAsync([.. Encoding.ASCII.GetBytes($"garbage {PatientId}\r\n"), .. RawPeer.Frame(Message("OK"))], ct);
            await peer.ReceiveFrameAsync(ct);
            await peer.SendAsync(RawPeer.Frame(Message("THROW")), ct);
            await peer.ReceiveFrameAsync(ct);
            await peer.WaitForCloseAsync(TimeSpan.FromSeconds(30), ct);
        }

        using (var peer = await RawPeer.ConnectAsync(fixture.EndPoint, ct))
        {
            await peer.SendAsync([MllpFraming.StartBlock, .. Message("BIG"), .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(PatientId, 100)))], ct);
            await peer.ReceiveFrameAsync(ct);
            await peer.WaitForCloseAsync(TimeSpan.FromSeconds(30), ct);
        }

        await fixture.Listener.StopAsync(ct);
        Assert.NotEmpty(logger.Lines);
        Assert.DoesNotContain(logger.Lines, line => line.Contains(PatientId, StringComparison.Ordinal) || line.Contains("MSH|", StringComparison.Ordinal));
    }

    private static byte[] Message(string controlId) =>
        Encoding.ASCII.GetBytes($"MSH|^~\\&|SND|FAC|RCV|FAC|20260101000000||ADT^A01|{controlId}|P|2.5\rPID|1||{PatientId}^^^HOSP^MR||DOE^JANE\r");

    /// <summary>Fails the way careless code does: with the message text in the exception.</summary>
    private sealed class ContentQuotingHandler : IMllpFrameHandler
    {
        public ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
        {
            var controlId = TestAck.ControlId(payload);
            if (controlId == "THROW")
            {
                throw new InvalidOperationException("cannot store " + Encoding.ASCII.GetString(payload.ToArray()));
            }

            return ValueTask.FromResult<ReadOnlyMemory<byte>>(TestAck.Ack(controlId));
        }

        public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload) =>
            TestAck.Reject(reason.ToString(), TestAck.ControlId(partialPayload));
    }
}
