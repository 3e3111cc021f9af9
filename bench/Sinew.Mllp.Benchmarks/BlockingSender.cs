using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// A sender on its own thread with blocking socket calls and fixed buffers: it allocates nothing per message,
/// so the allocation measured during a run is the listener's.
/// </summary>
internal sealed class BlockingSender : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _frame;
    private readonly byte[] _receive = new byte[4096];

    public BlockingSender(IPEndPoint endPoint, byte[] payload)
    {
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(endPoint);
        _frame = [MllpFraming.StartBlock, .. payload, MllpFraming.EndBlock, MllpFraming.CarriageReturn];
    }

    /// <summary>Sends frames back to back until <paramref name="end"/> (a Stopwatch timestamp), recording each round trip.</summary>
    public void Run(long end, List<long>? latencies)
    {
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            _socket.Send(_frame);
            var received = 0;
            while (received < 2 || _receive[received - 2] != MllpFraming.EndBlock || _receive[received - 1] != MllpFraming.CarriageReturn)
            {
                var read = _socket.Receive(_receive, received, _receive.Length - received, SocketFlags.None);
                if (read == 0)
                {
                    throw new IOException("Listener closed the connection.");
                }

                received += read;
            }

            latencies?.Add(Stopwatch.GetTimestamp() - start);
        }
    }

    public void Dispose() => _socket.Dispose();
}
