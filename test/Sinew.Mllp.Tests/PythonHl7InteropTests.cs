using System.Diagnostics;
using System.Text;

namespace Sinew.Mllp.Tests;

/// <summary>Sinew's listener and client against python3-hl7, an MLLP implementation we did not write.</summary>
public sealed class PythonHl7InteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sinew-mllp-py-").FullName;

    [Fact]
    public async Task MllpSendTool_MessagesToListener_PrintsEachAckInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipWhen(PythonHl7.MllpSend is null || PythonHl7.Python is null, PythonHl7.Missing);
        await using var fixture = await ListenerFixture.StartAsync();
        var file = Path.Combine(_directory, "messages.hl7");
        await File.WriteAllBytesAsync(file, new[] { "PY1", "PY2", "PY3" }.SelectMany(id => RawPeer.Frame(TestAck.Message(id))).ToArray(), ct);

        var (exitCode, output, error) = await PythonHl7.RunAsync(
            PythonHl7.MllpSend!, ["--file", file, "--port", fixture.EndPoint.Port.ToString(), "127.0.0.1"], TimeSpan.FromSeconds(60), ct);

        Assert.True(exitCode == 0, $"mllp_send exited with {exitCode}: {error}");
        var first = output.IndexOf("MSA|AA|PY1", StringComparison.Ordinal);
        var second = output.IndexOf("MSA|AA|PY2", StringComparison.Ordinal);
        var third = output.IndexOf("MSA|AA|PY3", StringComparison.Ordinal);
        Assert.True(first >= 0 && first < second && second < third, $"ACKs missing or out of order in: {output}");
        Assert.Equal(3, fixture.Handler.Frames);
    }

    [Fact]
    public async Task Client_ToPythonHl7Receiver_DeliversAndReadsItsAck()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipWhen(PythonHl7.Python is null, PythonHl7.Missing);
        using var peer = PythonHl7.Start(PythonHl7.Python!, [Path.Combine(AppContext.BaseDirectory, "peers", "ack_peer.py")]);
        try
        {
            var port = int.Parse(await ReadPortAsync(peer, ct));
            await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port, ResponseTimeout = TimeSpan.FromSeconds(20) });

            for (var i = 0; i < 3; i++)
            {
                var ack = Encoding.ASCII.GetString(await client.SendAsync(TestAck.Message($"TOPY{i}"), ct));

                Assert.StartsWith("MSH|", ack, StringComparison.Ordinal);
                Assert.Contains($"\rMSA|AA|TOPY{i}", ack, StringComparison.Ordinal);
            }
        }
        finally
        {
            peer.Kill(entireProcessTree: true);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string> ReadPortAsync(Process peer, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await peer.StandardOutput.ReadLineAsync(timeout.Token);
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new InvalidOperationException($"ack_peer.py did not print its port: {await peer.StandardError.ReadToEndAsync(ct)}");
        }

        return line.Trim();
    }
}
