using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp.Benchmarks;

/// <summary>
/// A sender on its own thread with blocking calls and fixed buffers: it allocates nothing per message,
/// so the allocation measured during a run is the listener's.
/// </summary>
internal sealed class BlockingSender : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _frame;
    private readonly byte[] _receive = new byte[4096];

    public BlockingSender(IPEndPoint endPoint, byte[] payload, X509Certificate2? trustedServer)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(endPoint);
        _stream = new NetworkStream(socket, ownsSocket: true);
        if (trustedServer is not null)
        {
            var ssl = new SslStream(_stream, false, (_, certificate, _, _) => certificate?.GetCertHashString() == trustedServer.GetCertHashString());
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost" });
            _stream = ssl;
        }

        _frame = [MllpFraming.StartBlock, .. payload, MllpFraming.EndBlock, MllpFraming.CarriageReturn];
    }

    /// <summary>Sends frames back to back until <paramref name="end"/> (a Stopwatch timestamp), recording each round trip.</summary>
    public void Run(long end, List<long>? latencies)
    {
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            _stream.Write(_frame);
            var received = 0;
            while (received < 2 || _receive[received - 2] != MllpFraming.EndBlock || _receive[received - 1] != MllpFraming.CarriageReturn)
            {
                var read = _stream.Read(_receive, received, _receive.Length - received);
                if (read == 0)
                {
                    throw new IOException("Listener closed the connection.");
                }

                received += read;
            }

            latencies?.Add(Stopwatch.GetTimestamp() - start);
        }
    }

    public void Dispose() => _stream.Dispose();
}
