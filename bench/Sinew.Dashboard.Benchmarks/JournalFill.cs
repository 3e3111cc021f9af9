using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite;

namespace Sinew.Dashboard.Benchmarks;

/// <summary>
/// Fills a journal the way a busy week leaves it: N messages over 7 days on four channels, appended by many concurrent
/// producers (group commit), then routed: most processed and delivered, about 1% failed in the pipeline, 0.5% dead-lettered.
/// </summary>
internal static class JournalFill
{
    public static readonly string[] Channels = ["adt-feed", "lab-results", "erp-orders", "json-events"];

    public static readonly TimeSpan Span = TimeSpan.FromDays(7);

    public static string ControlId(long i) => "MSG" + i.ToString("D9", CultureInfo.InvariantCulture);

    public static string ChannelOf(long i) => (i % 20) switch
    {
        < 10 => Channels[0],
        < 16 => Channels[1],
        < 19 => Channels[2],
        _ => Channels[3],
    };

    public static async Task<TimeSpan> FillAsync(SqliteJournal journal, int count, DateTimeOffset end, int producers)
    {
        var start = end - Span;
        var stopwatch = Stopwatch.StartNew();
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = Encoding.ASCII.GetBytes(
                    $"MSH|^~\\&|EHR|HOSP|ERP|HOSP|20261125080000||ADT^A01|{ControlId(i)}|P|2.5.1\rEVN|A01|20261125080000\rPID|1||TOKEN-{i % 50_000}^^^HOSP^MR\rPV1|1|I|WARD{i % 40}^{i % 300}\r");
                await journal.AppendAsync(new InboundMessage(ChannelOf(i), "bench", "application/hl7-v2", body)
                {
                    ControlId = ControlId(i),
                    ReceivedAt = start + Span * ((double)i / count),
                }, CancellationToken.None);
            }
        })));
        Console.WriteLine($"  appended {count:N0} in {stopwatch.Elapsed.TotalSeconds:0.0} s");

        // Route in id order, in batches, as the pipeline would.
        var outcomes = new List<RouteOutcome>(1000);
        var routed = 0;
        var deadLetters = new List<long>();
        var delivered = new List<long>();
        for (long afterId = 0; ;)
        {
            var batch = new List<StoredMessage>();
            foreach (var channel in Channels)
            {
                batch.AddRange(await journal.ReadReceivedAsync(channel, afterId, 1000, CancellationToken.None));
            }
            if (batch.Count == 0)
            {
                break;
            }
            batch.Sort((a, b) => a.Id.CompareTo(b.Id));
            batch = batch.Take(1000).ToList();
            afterId = batch[^1].Id;
            outcomes.Clear();
            foreach (var m in batch)
            {
                outcomes.Add(m.Id % 97 == 7
                    ? RouteOutcome.Failed(m.Id, 0, "validate", $"PID-3 is required (segment 3, byte {m.Id % 97})")
                    : new RouteOutcome(m.Id, MessageStatus.Processed)
                    {
                        PartitionKey = "p" + (m.Id % 50_000),
                        Outbound = [new OutboundMessage("archive", "p" + (m.Id % 50_000), m.ContentType, "x"u8.ToArray())],
                    });
            }
            await journal.RouteAsync(outcomes, CancellationToken.None);
            routed += batch.Count;
        }
        Console.WriteLine($"  routed {routed:N0} at {stopwatch.Elapsed.TotalSeconds:0.0} s");

        // Deliver: every outbox entry gets one attempt; 1 in 199 is refused for good (dead letter).
        var pending = new System.Collections.Concurrent.ConcurrentQueue<OutboxEntry>();
        foreach (var channel in Channels)
        {
            while (true)
            {
                var entries = await journal.ReadDeliverableAsync(channel, "archive", DateTimeOffset.MaxValue, strictOrder: false, 100_000, CancellationToken.None);
                if (entries.Count == 0)
                {
                    break;
                }
                var tasks = entries.Chunk(entries.Count / producers + 1).Select(chunk => Task.Run(async () =>
                {
                    foreach (var e in chunk)
                    {
                        var dead = e.MessageId % 199 == 3;
                        await journal.RecordAttemptAsync(new DeliveryAttempt
                        {
                            OutboxId = e.Id,
                            Attempt = 1,
                            At = e.CreatedAt,
                            Outcome = dead ? DeliveryStatus.DeadLettered : DeliveryStatus.Delivered,
                            Detail = dead ? "refused: HTTP 400 Bad Request" : "HTTP 200",
                            DurationMs = 3.2,
                        }, CancellationToken.None);
                    }
                }));
                await Task.WhenAll(tasks);
            }
        }
        Console.WriteLine($"  delivered at {stopwatch.Elapsed.TotalSeconds:0.0} s");
        return stopwatch.Elapsed;
    }
}
