using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// The shared HL7 v2 corpus through a real <c>sinew run</c>: every message of every good file goes over MLLP into a
/// pass-through channel (<c>mllp</c> source without validation → <c>file</c> destination) and comes out byte-identical;
/// every bad file gets an answer and the process stays up.
/// </summary>
public sealed class MllpConformanceTests : IDisposable
{
    private const string Channel = "corpus";
    private const int Connections = 4;
    private readonly TempFolder _folder = new();

    /// <summary>
    /// Good-corpus files Sinew refuses even without validation, and why. Their MSH-2 is <c>^~\\&amp;</c>: the escape
    /// character repeated where the subcomponent separator belongs, so no legal set of encoding characters is declared;
    /// the codec answers CE with ERR 102 and keeps the message as rejected instead of guessing.
    /// </summary>
    private static readonly HashSet<string> RefusedByDesign = new(StringComparer.Ordinal) { "lfhconv__sample_unix.hl7", "lfhconv__sample_win.hl7" };

    private sealed record CorpusMessage(string File, int Index, byte[] Bytes)
    {
        public string Name => $"{File}#{Index}";
    }

    [Fact]
    public async Task GoodCorpus_EveryMessageOverMllp_IsAcknowledgedAndDeliveredByteIdentical()
    {
        Assert.SkipWhen(MllpScenario.Corpus is null, MllpScenario.CorpusMissing);
        var ct = TestContext.Current.CancellationToken;
        var files = Directory.GetFiles(Path.Combine(MllpScenario.Corpus!, "hl7v2")).Order(StringComparer.Ordinal).ToList();
        var messages = new List<CorpusMessage>();
        foreach (var file in files)
        {
            messages.AddRange(await SplitAsync(file, ct));
        }
        Assert.True(messages.Count >= files.Count, $"{files.Count} files gave only {messages.Count} messages");

        // Repeats of a sending application + facility + MSH-10 are duplicates by design (they get the first ACK and
        // are not delivered again), so all messages sharing a key go over the same connection, in corpus order.
        var groups = messages.GroupBy(m => MllpScenario.DedupeKey(m.Bytes) ?? m.Name).ToList();
        var lanes = Enumerable.Range(0, Connections).Select(i => groups.Where((_, g) => g % Connections == i).SelectMany(g => g).ToList()).ToList();
        var expectedDelivered = groups.Select(g => g.First()).Where(m => !RefusedByDesign.Contains(m.File)).ToList();

        _folder.Write($"config/channels/{Channel}.yaml", MllpScenario.MllpToFile(Channel));
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
        var port = MllpScenario.PortOf(sinew, Channel);

        var outcomes = new ConcurrentDictionary<CorpusMessage, string>();
        var firstAck = new ConcurrentDictionary<string, byte[]>();
        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port, ResponseTimeout = TimeSpan.FromSeconds(30) });
            foreach (var message in lane)
            {
                var key = MllpScenario.DedupeKey(message.Bytes);
                var control = MllpScenario.Msh(MllpScenario.MshFields(message.Bytes), 10);
                if (!MllpScenario.WantsAckOnSuccess(message.Bytes))
                {
                    // MSH-15 NE/ER: HL7 says no accept ACK on success, so the receiver stays silent; a short wait proves it.
                    await using var silent = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port, ResponseTimeout = TimeSpan.FromSeconds(1) });
                    try
                    {
                        var unexpected = await silent.SendAsync(message.Bytes, ct);
                        outcomes[message] = "answered " + MllpAck.Msa(unexpected).Code;
                        failures.Enqueue($"{message.Name}: MSH-15 asks for no ACK on success, got {MllpAck.Msa(unexpected).Code}");
                    }
                    catch (TimeoutException)
                    {
                        outcomes[message] = "no ACK (MSH-15)";
                    }
                    continue;
                }
                var ack = await client.SendAsync(message.Bytes, ct);
                var (code, ackControl) = MllpAck.Msa(ack);
                outcomes[message] = code;
                var refused = RefusedByDesign.Contains(message.File);
                if ((refused ? code is not ("AE" or "CE") : code is not ("AA" or "CA")) || ackControl != control)
                {
                    failures.Enqueue($"{message.Name}: MSA {code}|{ackControl} for MSH-10 '{control}': {Encoding.Latin1.GetString(ack).Replace('\r', '/')}");
                }
                if (key is not null && !firstAck.TryAdd(key, ack) && !firstAck[key].AsSpan().SequenceEqual(ack))
                {
                    failures.Enqueue($"{message.Name}: a repeat of '{key}' did not get the first ACK back");
                }
            }
        }, ct)));

        var folder = _folder.Combine("data", "out", Channel);
        var delivered = await MllpScenario.WaitForDeliveredAsync(folder, expectedDelivered.Count, TimeSpan.FromSeconds(120));
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{files.Count} files, {messages.Count} messages over {Connections} connections, {groups.Count} distinct (MSH-3, MSH-4, MSH-10), {delivered.Length} files delivered");
        foreach (var (code, count) in outcomes.Values.CountBy(v => v).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output?.WriteLine($"  {code}: {count}");
        }
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        var rejected = await sinew.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages?channel={Channel}&status=rejected&limit=100", ct);
        Assert.Equal(groups.Count(g => RefusedByDesign.Contains(g.First().File)), rejected.GetProperty("items").GetArrayLength());

        // Byte-identical: the delivered files are exactly the first message of each key, as sent.
        var want = expectedDelivered.GroupBy(m => MllpScenario.Sha256(m.Bytes)).ToDictionary(g => g.Key, g => g.ToList());
        var got = new Dictionary<string, int>();
        foreach (var file in delivered)
        {
            var hash = MllpScenario.Sha256(await File.ReadAllBytesAsync(file, ct));
            got[hash] = got.GetValueOrDefault(hash) + 1;
        }
        var missing = want.Where(w => got.GetValueOrDefault(w.Key) < w.Value.Count).SelectMany(w => w.Value.Skip(got.GetValueOrDefault(w.Key))).Select(m => m.Name).ToList();
        var unexpectedFiles = got.Where(g => !want.TryGetValue(g.Key, out var list) || list.Count < g.Value).Select(g => g.Key).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} messages not delivered byte-identical: {string.Join(", ", missing.Take(20))}");
        Assert.True(unexpectedFiles.Count == 0, $"{unexpectedFiles.Count} delivered files match no message sent");
        Assert.Equal(expectedDelivered.Count, delivered.Length);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task BadCorpus_EveryFileGetsAnAnswer_AndTheProcessStaysUpAndStillAcceptsGoodMessages()
    {
        Assert.SkipWhen(MllpScenario.Corpus is null, MllpScenario.CorpusMissing);
        var ct = TestContext.Current.CancellationToken;
        var files = Directory.GetFiles(Path.Combine(MllpScenario.Corpus!, "hl7v2", "bad")).Order(StringComparer.Ordinal).ToList();
        Assert.SkipWhen(files.Count == 0, "the corpus has no hl7v2/bad files");
        // The same bytes to a pass-through channel and to one that validates against the built-in profiles.
        _folder.Write($"config/channels/{Channel}.yaml", MllpScenario.MllpToFile(Channel));
        _folder.Write("config/channels/validated.yaml", MllpScenario.MllpToFile("validated").Replace("validate: false", "validate: true", StringComparison.Ordinal));
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
        var ports = new[] { (Name: Channel, Port: MllpScenario.PortOf(sinew, Channel)), (Name: "validated", Port: MllpScenario.PortOf(sinew, "validated")) };
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine("file: pass-through channel / validating channel");
        var unanswered = new List<string>();
        var sent = new List<byte[]>();
        var silent = 0;

        foreach (var file in files)
        {
            var items = await SplitAsync(file, ct);
            // A file with no message at all (the empty one) is sent as it is: an empty frame.
            var frames = items.Count > 0 ? items.Select(i => i.Bytes).ToList() : [await File.ReadAllBytesAsync(file, ct)];
            sent.AddRange(frames);
            var answers = new List<string>();
            foreach (var (name, port) in ports)
            {
                foreach (var frame in frames)
                {
                    var silentByRequest = frame.Length > 0 && !MllpScenario.WantsAckOnSuccess(frame) && MllpScenario.Msh(MllpScenario.MshFields(frame), 15) == "NE";
                    await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port, ResponseTimeout = TimeSpan.FromSeconds(silentByRequest ? 1 : 5) });
                    try
                    {
                        var ack = await client.SendAsync(frame, ct);
                        answers.Add(MllpAck.Msa(ack).Code);
                    }
                    catch (TimeoutException) when (silentByRequest)
                    {
                        // MSH-15=NE: the sender asked for no accept ACK, whatever the outcome; the journal still has it.
                        answers.Add("no ACK (MSH-15=NE)");
                        silent++;
                    }
                    catch (Exception ex) when (ex is TimeoutException or IOException)
                    {
                        answers.Add("NO ANSWER: " + ex.GetType().Name);
                        unanswered.Add($"{Path.GetFileName(file)} on {name}");
                    }
                }
            }
            output?.WriteLine($"  {Path.GetFileName(file)}: {string.Join(" / ", answers)}");
        }

        using var ready = await sinew.Http.GetAsync("health/ready", ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        foreach (var (name, port) in ports)
        {
            await using var client = new MllpClient(new MllpClientOptions { Host = "127.0.0.1", Port = port });
            var ack = await client.SendAsync("MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261125080000||ORU^R01|AFTER-BAD-1|P|2.5.1\rPID|1||X\r"u8.ToArray(), ct);
            var (code, control) = MllpAck.Msa(ack);
            Assert.Equal("AFTER-BAD-1", control);
            // This bare message lacks what the built-in ORU^R01 profile requires, so the validating channel answers AE.
            Assert.Equal(name == Channel ? "AA" : "AE", code);
        }
        Assert.True(unanswered.Count == 0, "no answer for: " + string.Join(", ", unanswered));

        // Silent is not lost: every frame sent has a row, received or rejected, bar repeats of a sender + MSH-10.
        var distinct = sent.Select((frame, i) => MllpScenario.DedupeKey(frame) ?? $"#{i}").Distinct(StringComparer.Ordinal).Count();
        foreach (var (name, _) in ports)
        {
            var page = await sinew.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages?channel={name}&limit=500", ct);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            var statuses = items.Select(i => i.GetProperty("status").GetString() ?? "").CountBy(s => s).Select(c => $"{c.Value} {c.Key}");
            output?.WriteLine($"journal of {name}: {string.Join(", ", statuses)}; {silent / 2} files were answered with silence as MSH-15=NE asks");
            Assert.Equal(distinct + 1, items.Count); // + the good message sent afterwards
        }
    }

    /// <summary>The messages of a corpus file, split the way Sinew's own batch reader splits files, with their exact bytes.</summary>
    private static async Task<List<CorpusMessage>> SplitAsync(string file, CancellationToken ct)
    {
        var name = Path.GetFileName(file);
        var result = new List<CorpusMessage>();
        await using var stream = File.OpenRead(file);
        using var reader = new Hl7BatchReader(stream);
        while (await reader.ReadAsync(ct) is { } item)
        {
            // Blank lines at the end of a file come back as an item of their own; they are not a message.
            if (item.Kind == Hl7BatchItemKind.Message && item.Bytes.Span.IndexOfAnyExcept("\r\n \t"u8) >= 0)
            {
                result.Add(new CorpusMessage(name, result.Count, item.Bytes.ToArray()));
            }
        }
        return result;
    }

    public void Dispose() => _folder.Dispose();
}
