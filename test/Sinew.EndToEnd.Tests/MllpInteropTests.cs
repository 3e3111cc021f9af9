using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// A running <c>sinew</c> against an MLLP implementation nobody here wrote: Debian's python3-hl7 (<c>mllp_send</c> as the
/// sender, an <c>hl7.mllp</c> server as the receiver).
/// </summary>
public sealed class MllpInteropTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task PythonMllpSend_CorpusMessagesToSinew_GetsAnAaForEachInOrder_AndSinewDeliversWhatItSent()
    {
        Assert.SkipWhen(MllpScenario.Corpus is null, MllpScenario.CorpusMissing);
        Assert.SkipWhen(PythonHl7.Python is null || PythonHl7.MllpSend is null, PythonHl7.Missing);
        var ct = TestContext.Current.CancellationToken;
        var messages = await RepresentativeMessagesAsync(ct);
        _folder.Write("config/channels/from-python.yaml", MllpScenario.MllpToFile("from-python"));
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
        var port = MllpScenario.PortOf(sinew, "from-python");

        // mllp_send reads MLLP frames from the file and sends each after the previous answer arrived.
        var file = _folder.Combine("messages.mllp");
        await File.WriteAllBytesAsync(file, messages.SelectMany(m => (byte[])[MllpFraming.StartBlock, .. m, MllpFraming.EndBlock, MllpFraming.CarriageReturn]).ToArray(), ct);
        var (exit, output, error) = await PythonHl7.RunAsync(PythonHl7.MllpSend!, ["--file", file, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"], TimeSpan.FromSeconds(120), ct);

        Assert.True(exit == 0, $"mllp_send exited with {exit}: {error}");
        var acks = output.Split('\x1c').Select(a => a.Trim('\x0b', '\r', '\n')).Where(a => a.Length > 0).ToList();
        Assert.Equal(messages.Count, acks.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var control = MllpScenario.Msh(MllpScenario.MshFields(messages[i]), 10);
            Assert.Equal(("AA", control), MllpAck.Msa(Encoding.Latin1.GetBytes(acks[i])));
        }

        // python-hl7 strips the block characters and any CR from both ends of each message before framing it again,
        // so what went over the wire is the message without its final segment terminator; that is what must arrive.
        var sent = messages.Select(m => MllpScenario.Sha256(TrimLikePythonHl7(m))).Order(StringComparer.Ordinal).ToList();
        var delivered = await MllpScenario.WaitForDeliveredAsync(_folder.Combine("data", "out", "from-python"), messages.Count, TimeSpan.FromSeconds(60));
        var landed = new List<string>();
        foreach (var path in delivered)
        {
            landed.Add(MllpScenario.Sha256(await File.ReadAllBytesAsync(path, ct)));
        }
        Assert.Equal(sent, landed.Order(StringComparer.Ordinal).ToList());
        TestContext.Current.TestOutputHelper?.WriteLine($"mllp_send (python3-hl7) sent {messages.Count} corpus messages; {acks.Count} AA in order; {delivered.Length} delivered byte-identical");
    }

    [Fact]
    public async Task MllpDestination_ToPythonHl7Receiver_MessagesLandThereByteIdentical_AndSinewRecordsThemDelivered()
    {
        Assert.SkipWhen(MllpScenario.Corpus is null, MllpScenario.CorpusMissing);
        Assert.SkipWhen(PythonHl7.Python is null, PythonHl7.Missing);
        var ct = TestContext.Current.CancellationToken;
        var messages = (await RepresentativeMessagesAsync(ct)).Take(25).ToList();
        var received = Directory.CreateDirectory(_folder.Combine("received")).FullName;
        using var peer = PythonHl7.Start(PythonHl7.Python!, [Path.Combine(AppContext.BaseDirectory, "peers", "ack_peer.py"), "0", received]);
        try
        {
            var peerPort = int.Parse(await ReadLineAsync(peer, ct), System.Globalization.CultureInfo.InvariantCulture);
            _folder.Write("config/channels/to-python.yaml", $"""
                name: to-python
                source:
                  type: mllp
                  listen: 127.0.0.1:0
                  validate: false
                destinations:
                  - name: python-hl7
                    type: mllp
                    maxSensitivity: phi
                    to: 127.0.0.1:{peerPort}
                    responseTimeout: 10s
                    negativeAck: exception
                    retry:
                      maxAttempts: 5
                      initialDelay: 200ms
                      maxDelay: 2s
                """);
            await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
            await using (var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = MllpScenario.PortOf(sinew, "to-python") }))
            {
                foreach (var message in messages)
                {
                    Assert.Equal("AA", MllpAck.Msa(await client.SendAsync(message, ct)).Code);
                }
            }

            var arrived = await WaitForFilesAsync(received, messages.Count, ct);
            var want = messages.Select(m => MllpScenario.Sha256(m)).Order(StringComparer.Ordinal).ToList();
            var got = new List<string>();
            foreach (var path in arrived)
            {
                got.Add(MllpScenario.Sha256(await File.ReadAllBytesAsync(path, ct)));
            }
            Assert.Equal(want, got.Order(StringComparer.Ordinal).ToList());

            // Sinew's books: the destination shows every message delivered, none pending, none dead.
            JsonElement queue = default;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                var queues = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/queues", ct);
                queue = queues.EnumerateArray().Single(q => q.GetProperty("channel").GetString() == "to-python");
                if (queue.GetProperty("delivered").GetInt64() == messages.Count)
                {
                    break;
                }
                await Task.Delay(100, ct);
            }
            while (DateTime.UtcNow < deadline);
            Assert.Equal(messages.Count, queue.GetProperty("delivered").GetInt64());
            Assert.Equal(0, queue.GetProperty("depth").GetInt64());
            Assert.Equal(0, queue.GetProperty("deadLetters").GetInt64());
            var exceptions = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/exceptions", ct);
            Assert.Equal(0, exceptions.GetArrayLength());
            TestContext.Current.TestOutputHelper?.WriteLine($"sinew forwarded {messages.Count} corpus messages to python3-hl7's hl7.mllp server; {arrived.Length} arrived byte-identical; the queue shows {queue.GetProperty("delivered").GetInt64()} delivered");
        }
        finally
        {
            peer.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Good-corpus messages in original acknowledgement mode (mllp_send waits for an answer to each), one per MSH-10,
    /// CR-terminated and ASCII (python-hl7's receiver parses with CR and decodes as UTF-8), that Sinew accepts without validation.
    /// </summary>
    private static async Task<List<byte[]>> RepresentativeMessagesAsync(CancellationToken ct)
    {
        var result = new List<byte[]>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(MllpScenario.Corpus!, "hl7v2")).Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            using var reader = new Hl7BatchReader(stream);
            while (await reader.ReadAsync(ct) is { } item)
            {
                var bytes = item.Bytes.ToArray();
                var msh = MllpScenario.MshFields(bytes);
                if (item.Kind != Hl7BatchItemKind.Message || !bytes.AsSpan().StartsWith("MSH|^~\\&|"u8) || bytes.Contains((byte)'\n') || bytes.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0
                    || MllpScenario.Msh(msh, 15).Length > 0 || MllpScenario.Msh(msh, 16).Length > 0
                    || MllpScenario.DedupeKey(bytes) is not { } key || !keys.Add(key))
                {
                    continue;
                }
                result.Add(bytes);
            }
        }
        Assert.True(result.Count >= 25, $"only {result.Count} corpus messages qualify");
        return result;
    }

    private static byte[] TrimLikePythonHl7(byte[] message) => message.AsSpan().Trim([MllpFraming.StartBlock, MllpFraming.CarriageReturn]).ToArray();

    private static async Task<string[]> WaitForFilesAsync(string folder, int count, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var files = Directory.GetFiles(folder, "*.hl7");
        while (files.Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
            files = Directory.GetFiles(folder, "*.hl7");
        }
        return files;
    }

    private static async Task<string> ReadLineAsync(Process peer, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await peer.StandardOutput.ReadLineAsync(timeout.Token);
        return string.IsNullOrWhiteSpace(line) ? throw new InvalidOperationException($"ack_peer.py did not print its port: {await peer.StandardError.ReadToEndAsync(ct)}") : line.Trim();
    }

    public void Dispose() => _folder.Dispose();
}
