using System.Net.Sockets;
using System.Text;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>Sends bytes HttpClient refuses to send (CR/LF in headers, odd paths) and returns the raw answer.</summary>
internal static class RawHttp
{
    public static async Task<string> SendAsync(Uri baseUrl, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUrl.Host, baseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[64 * 1024];
        var answer = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
                if (answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && !answer.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    await Task.Delay(100);
                    if (client.Available == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
        return answer.ToString();
    }

    /// <summary>The status code of a raw answer, 0 when there was none.</summary>
    public static int Status(string answer) =>
        answer.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(answer.AsSpan(9, 3), out var status) ? status : 0;
}
