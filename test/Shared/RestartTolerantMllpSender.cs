using System.Net.Sockets;
using Sinew.Mllp;

namespace Sinew.Testing;

/// <summary>
/// One MLLP connection of a kill test: sends each message until Sinew answers AA with its control id, as a real sender
/// would, reconnecting to wherever the restarted listener now is (<paramref name="port"/> is read before every try).
/// </summary>
internal sealed class RestartTolerantMllpSender(Func<int> port) : IAsyncDisposable
{
    private MllpClient? _client;
    private int _clientPort;

    /// <summary>Tries that failed because Sinew was down or was killed mid-exchange.</summary>
    public long FailedAttempts { get; private set; }

    /// <summary>
    /// Sends <paramref name="message"/> again and again, as is, until it is accepted; an answer other than AA for
    /// <paramref name="controlId"/> goes to <paramref name="negative"/>. Returns the number of tries, or 0 when
    /// <paramref name="stop"/> came first.
    /// </summary>
    public async Task<int> SendUntilAcceptedAsync(byte[] message, string controlId, Action<string> negative, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var now = port();
                if (_client is null || _clientPort != now)
                {
                    if (_client is not null)
                    {
                        await _client.DisposeAsync();
                    }
                    _client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = now, ConnectTimeout = TimeSpan.FromSeconds(2), ResponseTimeout = TimeSpan.FromSeconds(5) });
                    _clientPort = now;
                }
                var (code, control) = MllpAck.Msa(await _client.SendAsync(message, CancellationToken.None));
                if (code == "AA" && control == controlId)
                {
                    return attempt;
                }
                negative($"{controlId}: {code}|{control}");
            }
            catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
            {
                // Killed mid-exchange or not yet back: send the same message again.
                FailedAttempts++;
            }
            if (stop.IsCancellationRequested)
            {
                return 0;
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }
}
