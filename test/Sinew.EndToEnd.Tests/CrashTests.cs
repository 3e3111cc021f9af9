using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// Invariant 1 and 2 under SIGKILL: every message that got a 202 is journaled and delivered exactly once, in order
/// per partition, however often the process is killed. Clients retry unacknowledged messages with the same
/// Idempotency-Key, as a well-behaved sender does.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static int Kills => Environment.GetEnvironmentVariable("SINEW_SLOW_TESTS") == "1" ? 200 : 20;

    private const string Channel = """
        name: crash
        source:
          type: http
        partitionKey: header:X-Partition-Key
        destinations:
          - name: sink
            type: file
            maxSensitivity: phi
            path: out/sink
            extension: .txt
            concurrency: 4
            retry:
              initialDelay: 50ms
              maxDelay: 1s
              maxAttempts: 100
        """;

    [Fact]
    public Task Kill9_AtRandomMoments_EveryAcknowledgedMessageDeliveredExactlyOnceInPartitionOrder() => RunAsync(Kills, graceful: false);

    [Fact]
    public Task SigTerm_UnderLoad_StopsCleanly_AndResumesWithoutLossOrDuplicates() => RunAsync(5, graceful: true);

    private async Task RunAsync(int restarts, bool graceful)
    {
        _folder.Write("config/channels/crash.yaml", Channel);
        var config = _folder.Combine("config");
        var data = _folder.Combine("data");
        var acknowledged = new ConcurrentDictionary<string, long>();
        var random = new Random(20261125);
        var current = await SinewProcess.StartAsync(config, data);
        var baseUrl = current.BaseUrl;
        using var stop = new CancellationTokenSource();
        const int partitions = 8;

        // Each client owns one partition and sends its messages one after another, retrying each until it is acknowledged.
        var clients = Enumerable.Range(0, partitions).Select(p => Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                var key = $"p{p}-{sequence:D6}";
                while (true)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Volatile.Read(ref baseUrl), "in/crash"))
                        {
                            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(key)),
                        };
                        request.Headers.Add("Idempotency-Key", key);
                        request.Headers.Add("X-Partition-Key", $"p{p}");
                        using var response = await http.SendAsync(request);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            var json = await response.Content.ReadAsStringAsync();
                            acknowledged[key] = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("messageId").GetInt64();
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // The process is down or was killed mid-request: retry the same message.
                    }
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    await Task.Delay(20);
                }
                sequence++;
            }
        })).ToList();

        for (var restart = 0; restart < restarts; restart++)
        {
            // Kill while traffic flows: wait for a few acknowledgements from this run first (a slow start on a
            // loaded machine must not turn the test into kills of an idle process), then a random moment.
            var before = acknowledged.Count;
            for (var waited = 0; acknowledged.Count < before + 5 && waited < 200; waited++)
            {
                await Task.Delay(50);
            }
            await Task.Delay(random.Next(0, 400));
            if (graceful)
            {
                Assert.Equal(0, await current.StopAsync());
            }
            else
            {
                current.Kill();
            }
            await current.DisposeAsync();
            current = await SinewProcess.StartAsync(config, data);
            Volatile.Write(ref baseUrl, current.BaseUrl);
        }
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Let the last run deliver everything, then stop it gracefully.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (CountFiles(data) < acknowledged.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(0, await current.StopAsync());
        await current.DisposeAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"{restarts} {(graceful ? "SIGTERM" : "SIGKILL")} restarts, {acknowledged.Count} acknowledged, {CountFiles(data)} delivered");
        Assert.True(acknowledged.Count > restarts * 5, $"only {acknowledged.Count} messages were acknowledged");
        var files = Directory.GetFiles(Path.Combine(data, "out", "sink"), "*.txt");
        var delivered = files.Select(f => (Key: File.ReadAllText(f), Written: File.GetLastWriteTimeUtc(f).Ticks)).ToList();
        Assert.Empty(delivered.GroupBy(d => d.Key).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(acknowledged.Keys.Except(delivered.Select(d => d.Key)));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "out", "sink"), "*.tmp", SearchOption.AllDirectories));

        foreach (var partition in delivered.GroupBy(d => d.Key[..d.Key.IndexOf('-', StringComparison.Ordinal)]))
        {
            var inDeliveryOrder = partition.OrderBy(d => d.Written).Select(d => d.Key).ToList();
            Assert.Equal(inDeliveryOrder.Order(StringComparer.Ordinal), inDeliveryOrder);
        }

        // Sinew's own books agree: one inbox row per distinct message, each delivered once.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "journal.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM inbox), (SELECT COUNT(*) FROM outbox WHERE status = 1), (SELECT COUNT(*) FROM outbox WHERE status <> 1)";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(delivered.Count, reader.GetInt64(0));
        Assert.Equal(delivered.Count, reader.GetInt64(1));
        Assert.Equal(0, reader.GetInt64(2));
    }

    private static int CountFiles(string data)
    {
        var folder = Path.Combine(data, "out", "sink");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.txt").Length : 0;
    }

    public void Dispose() => _folder.Dispose();
}
