using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sinew.Reliability.Tests.Peers;

/// <summary>
/// A minimal HL7 receiver written from the MLLP spec, independent of Sinew's own MLLP code: it reads frames, answers
/// each with an original-mode ACK (AA unless told otherwise), and records each MSH-10 once per processing.
/// </summary>
internal sealed class MllpAckPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _received = new();
    private readonly ConcurrentQueue<string> _accepted = new();
    private readonly Task _loop;
    private Func<string, string> _ackCode = _ => "AA";

    public MllpAckPeer()
    {
        _listener.Start(512);
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The MSA-1 code to answer for a MSH-10.</summary>
    public Func<string, string> AckCode
    {
        get => Volatile.Read(ref _ackCode);
        set => Volatile.Write(ref _ackCode, value);
    }

    /// <summary>MSH-10s answered AA for the first time, in order.</summary>
    public IReadOnlyList<string> Accepted => [.. _accepted];

    /// <summary>Frames of a MSH-10 already accepted (the sender repeated it, the receiver recognised it).</summary>
    public int Duplicates => _received.Values.Sum(n => n - 1);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var frame = new MemoryStream();
        var buffer = new byte[8192];
        var inFrame = false;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    if (b == 0x0B)
                    {
                        inFrame = true;
                        frame.SetLength(0);
                    }
                    else if (b == 0x1C && inFrame)
                    {
                        inFrame = false;
                        var ack = Answer(Encoding.Latin1.GetString(frame.GetBuffer(), 0, (int)frame.Length));
                        await stream.WriteAsync(ack, _stop.Token);
                    }
                    else if (inFrame)
                    {
                        frame.WriteByte(b);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private byte[] Answer(string message)
    {
        var msh = message.Split('\r')[0].Split('|');
        var control = msh.Length > 9 ? msh[9] : "";
        var code = AckCode(control);
        if (code == "AA" && _received.AddOrUpdate(control, 1, (_, n) => n + 1) == 1)
        {
            _accepted.Enqueue(control);
        }
        var ack = $"\u000bMSH|^~\\&|PEER|PEER|SINEW|SINEW|20261125120000||ACK|A{control}|P|2.5.1\rMSA|{code}|{control}\r\u001c\r";
        return Encoding.Latin1.GetBytes(ack);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
