using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sinew.Mllp;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// A closed-loop MLLP sender on its own thread with blocking calls and fixed buffers, like <see cref="BlockingSender"/>,
/// but every message gets its own MSH-10 (digits rewritten in place), so a durable receiver stores each one instead of
/// answering a repeat from its dedupe index.
/// </summary>
internal sealed class NumberedSender : IDisposable
{
    private const int Digits = 10;
    private readonly Socket _socket;
    private readonly byte[] _frame;
    private readonly int _counterAt;
    private readonly byte[] _receive = new byte[8192];
    private long _next;

    public NumberedSender(IPEndPoint endPoint, int lane)
    {
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(endPoint);
        var head = $"MSH|^~\\&|LAB|LANE{lane:D3}|SINEW|HOSP|20260101000000||ORU^R01|M";
        var message = Encoding.ASCII.GetBytes(
            head + new string('0', Digits) + "|P|2.5\rPID|1||123456^^^HOSP^MR||DOE^JANE||19800101|F\r" +
            "OBR|1||LAB1|CBC^Complete blood count\rOBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL|12-16|N|||F\r");
        _frame = [MllpFraming.StartBlock, .. message, MllpFraming.EndBlock, MllpFraming.CarriageReturn];
        _counterAt = 1 + head.Length;
    }

    /// <summary>The size of one message without the MLLP block characters.</summary>
    public int MessageBytes => _frame.Length - 3;

    /// <summary>Messages answered so far.</summary>
    public long Sent => _next;

    /// <summary>Sends until <paramref name="end"/> (a Stopwatch timestamp); each round trip goes into <paramref name="latencies"/> when given.</summary>
    public void Run(long end, List<long>? latencies)
    {
        while (Stopwatch.GetTimestamp() < end)
        {
            Number(++_next);
            var start = Stopwatch.GetTimestamp();
            _socket.Send(_frame);
            var received = 0;
            while (received < 2 || _receive[received - 2] != MllpFraming.EndBlock || _receive[received - 1] != MllpFraming.CarriageReturn)
            {
                var read = _socket.Receive(_receive, received, _receive.Length - received, SocketFlags.None);
                if (read == 0)
                {
                    throw new IOException("The receiver closed the connection.");
                }
                received += read;
            }
            latencies?.Add(Stopwatch.GetTimestamp() - start);
            if (_receive.AsSpan(0, received).IndexOf("MSA|AA|"u8) < 0 && _receive.AsSpan(0, received).IndexOf("MSA|CA|"u8) < 0)
            {
                throw new InvalidOperationException("Not accepted: " + Encoding.ASCII.GetString(_receive, 0, received));
            }
        }
    }

    private void Number(long value)
    {
        for (var i = _counterAt + Digits - 1; i >= _counterAt; i--)
        {
            _frame[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    public void Dispose() => _socket.Dispose();
}
