using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// The MLLP promise under SIGKILL: an AA is only sent after the journal commit, so every acknowledged message survives
/// any kill and is delivered exactly once. Senders behave as HL7 senders should: an unacknowledged message is sent
/// again, unchanged (same MSH-10), after reconnecting; the receiver's dedupe answers a repeat with the first ACK.
/// </summary>
public sealed class MllpCrashTests : IDisposable
{
    private const string Channel = "mllp-crash";
    private const int Connections = 8;
    private readonly TempFolder _folder = new();

    private static int Kills => Environment.GetEnvironmentVariable("SINEW_SLOW_TESTS") == "1" ? 200 : 20;

    private static byte[] Message(int connection, int sequence) => Encoding.ASCII.GetBytes(
        $"MSH|^~\\&|KILLTEST|LANE{connection}|SINEW|HOSP|20261125120000||ORU^R01|K{connection}-{sequence:D6}|P|2.5.1\r" +
        $"PID|1||MRN{connection}^^^HOSP^MR||DOE^JANE\rOBX|1|NM|718-7^Hemoglobin^LN||{sequence % 20}.{connection}|g/dL|||||F\r");

    [Fact]
    public async Task Kill9_WhileEightConnectionsSend_EveryAcknowledgedMessageIsJournaledAndDeliveredExactlyOnce()
    {
        _folder.Write($"config/channels/{Channel}.yaml", MllpScenario.MllpToFile(Channel));
        var config = _folder.Combine("config");
        var data = _folder.Combine("data");
        var random = new Random(20261125);
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var negative = new ConcurrentQueue<string>();
        long failedAttempts = 0;
        long retriedMessages = 0;
        var current = await SinewProcess.StartAsync(config, data);
        var port = MllpScenario.PortOf(current, Channel);
        using var stop = new CancellationTokenSource();

        // Each connection sends its messages one after another; a message without an AA is sent again, as is.
        var clients = Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            // After a restart the listener has a new port: the sender reconnects there.
            await using var sender = new RestartTolerantMllpSender(() => Volatile.Read(ref port));
            try
            {
                for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
                {
                    var control = $"K{c}-{sequence:D6}";
                    var tries = await sender.SendUntilAcceptedAsync(Message(c, sequence), control, negative.Enqueue, stop.Token);
                    if (tries > 1)
                    {
                        Interlocked.Increment(ref retriedMessages);
                    }
                    if (tries > 0)
                    {
                        acknowledged[control] = 0;
                    }
                }
            }
            finally
            {
                Interlocked.Add(ref failedAttempts, sender.FailedAttempts);
            }
        })).ToList();

        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(random.Next(100, 700));
            current.Kill();
            await current.DisposeAsync();
            current = await SinewProcess.StartAsync(config, data);
            Volatile.Write(ref port, MllpScenario.PortOf(current, Channel));
        }
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var folder = Path.Combine(data, "out", Channel);
        await MllpScenario.WaitForDeliveredAsync(folder, acknowledged.Count, TimeSpan.FromSeconds(60));
        await Task.Delay(500); // a message committed but never acknowledged may still be on its way; let it land
        Assert.Equal(0, await current.StopAsync());
        await current.DisposeAsync();

        var delivered = new List<string>();
        foreach (var file in MllpScenario.Delivered(folder))
        {
            delivered.Add(MllpScenario.Msh(MllpScenario.MshFields(await File.ReadAllBytesAsync(file)), 10));
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Kills} kills, {Connections} connections, {acknowledged.Count} messages acknowledged (AA), {Interlocked.Read(ref retriedMessages)} messages sent more than once ({Interlocked.Read(ref failedAttempts)} failed attempts while sinew was down), {delivered.Count} delivered, {delivered.Count - acknowledged.Count} delivered without an AA reaching the sender");
        Assert.Empty(negative);
        Assert.True(acknowledged.Count > Kills * 5, $"only {acknowledged.Count} messages were acknowledged");
        Assert.Empty(delivered.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(acknowledged.Keys.Except(delivered));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));

        // The journal agrees: one inbox row per distinct MSH-10, every acknowledged one among them, each delivered once.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "journal.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT control_id, (SELECT COUNT(*) FROM outbox o WHERE o.message_id = i.id AND o.status = 1), (SELECT COUNT(*) FROM outbox o WHERE o.message_id = i.id AND o.status <> 1) FROM inbox i";
        var journaled = new Dictionary<string, (long Delivered, long Pending)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.True(journaled.TryAdd(reader.GetString(0), (reader.GetInt64(1), reader.GetInt64(2))), $"{reader.GetString(0)} is in the inbox twice");
            }
        }
        Assert.Empty(acknowledged.Keys.Except(journaled.Keys));
        Assert.Empty(journaled.Where(j => j.Value != (1, 0)).Select(j => $"{j.Key}: {j.Value}"));
        Assert.Equal(delivered.Count, journaled.Count);
    }

    public void Dispose() => _folder.Dispose();
}
