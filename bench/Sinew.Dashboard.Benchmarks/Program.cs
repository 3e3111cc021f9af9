using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;
using Sinew.Dashboard.Benchmarks;
using Sinew.Journal.Sqlite;

// Does the dashboard's message browser stay fast at a million messages? Fills a journal (or reuses one given with --db),
// then times what each page asks of the journal, and writes bench/results/dashboard-search.md.
//   dotnet run -c Release --project bench/Sinew.Dashboard.Benchmarks -- [--messages 1000000] [--db PATH] [--out bench/results]
var messages = 1_000_000;
string? db = null;
var output = Path.Combine("bench", "results");
for (var a = 0; a < args.Length - 1; a++)
{
    switch (args[a])
    {
        case "--messages": messages = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--db": db = args[++a]; break;
        case "--out": output = args[++a]; break;
    }
}
db ??= Path.Combine(Path.GetTempPath(), $"sinew-dashboard-bench-{messages}.db");
var report = new StringBuilder();
TimeSpan? fillTime = null;
if (!File.Exists(db))
{
    Console.WriteLine($"filling {db} with {messages:N0} messages");
    await using var filling = SqliteJournal.Open(new SqliteJournalOptions(db));
    fillTime = await JournalFill.FillAsync(filling, messages, DateTimeOffset.UtcNow, producers: 128);
}

await using var journal = SqliteJournal.Open(new SqliteJournalOptions(db));
await using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadWrite }.ToString());
raw.Open();
long Scalar(string sql)
{
    using var command = raw.CreateCommand();
    command.CommandText = sql;
    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}
void Execute(string sql)
{
    using var command = raw.CreateCommand();
    command.CommandText = sql;
    command.CommandTimeout = 600;
    command.ExecuteNonQuery();
}
if (fillTime is { } filledIn)
{
    Execute($"INSERT OR REPLACE INTO meta(key, value) VALUES ('bench_fill_seconds', '{filledIn.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}')");
}
else
{
    using var command = raw.CreateCommand();
    command.CommandText = "SELECT value FROM meta WHERE key = 'bench_fill_seconds'";
    if (command.ExecuteScalar() is string seconds)
    {
        fillTime = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));
    }
}
var count = Scalar("SELECT COUNT(*) FROM inbox");
var end = DateTimeOffset.FromUnixTimeMilliseconds(Scalar("SELECT MAX(received_at) FROM inbox"));
var fileMb = new FileInfo(db).Length / 1024.0 / 1024;
Console.WriteLine($"journal: {count:N0} messages, {Scalar("SELECT COUNT(*) FROM outbox"):N0} outbox entries, {fileMb:N0} MB");

var rows = new List<(string Group, string Name, Timing Time, string Plan)>();
async Task Measure(string group, string name, Func<Task<int>> run, string? explain = null)
{
    var timing = await Timing.MeasureAsync(run);
    var plan = explain is null ? "" : Plan(explain);
    rows.Add((group, name, timing, plan));
    Console.WriteLine($"{group,-10} {name,-48} cold {timing.ColdMs,8:0.0} ms  median {timing.MedianMs,8:0.0} ms  p95 {timing.P95Ms,8:0.0} ms  rows {timing.Rows}");
}
string Plan(string sql)
{
    using var command = raw.CreateCommand();
    command.CommandText = "EXPLAIN QUERY PLAN " + sql;
    using var reader = command.ExecuteReader();
    var steps = new List<string>();
    while (reader.Read())
    {
        steps.Add(reader.GetString(3));
    }
    return string.Join("; ", steps);
}
static string Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
const string Select = "SELECT id FROM inbox WHERE 1 = 1";
const string Tail = " ORDER BY id DESC LIMIT 51";

async Task<int> Search(MessageQuery query) => (await journal.SearchAsync(query, CancellationToken.None)).Items.Count;
async Task<long?> CursorOfPage(MessageQuery query, int page)
{
    long? cursor = null;
    for (var p = 1; p < page; p++)
    {
        cursor = (await journal.SearchAsync(query with { Cursor = cursor }, CancellationToken.None)).NextCursor;
    }
    return cursor;
}

var oldWindow = (From: end - TimeSpan.FromDays(3) - TimeSpan.FromHours(1), To: end - TimeSpan.FromDays(3));
var middleId = count / 2;
var wanted = JournalFill.ControlId(middleId);

await Measure("browser", "first page (50, newest first)", () => Search(new MessageQuery()), Select + Tail);
await Measure("browser", "channel = lab-results", () => Search(new MessageQuery { Channel = "lab-results" }), Select + " AND channel = 'lab-results'" + Tail);
await Measure("browser", "channel + status processed", () => Search(new MessageQuery { Channel = "lab-results", Status = MessageStatus.Processed }), Select + " AND channel = 'lab-results' AND status = 1" + Tail);
await Measure("browser", "status failed (1% of messages)", () => Search(new MessageQuery { Status = MessageStatus.Failed }), Select + " AND status = 3" + Tail);
await Measure("browser", "status rejected (none in this journal)", () => Search(new MessageQuery { Status = MessageStatus.Rejected }), Select + " AND status = 4" + Tail);
await Measure("browser", "channel + status failed", () => Search(new MessageQuery { Channel = "erp-orders", Status = MessageStatus.Failed }), Select + " AND channel = 'erp-orders' AND status = 3" + Tail);
await Measure("browser", "last 24 hours", () => Search(new MessageQuery { From = end - TimeSpan.FromDays(1) }), Select + $" AND received_at >= {Ms(end - TimeSpan.FromDays(1))}" + Tail);
await Measure("browser", "1-hour window 3 days ago", () => Search(new MessageQuery { From = oldWindow.From, To = oldWindow.To }),
    Select + $" AND received_at >= {Ms(oldWindow.From)} AND received_at < {Ms(oldWindow.To)}" + Tail);
await Measure("browser", "1-hour window 3 days ago + channel", () => Search(new MessageQuery { Channel = "erp-orders", From = oldWindow.From, To = oldWindow.To }),
    Select + $" AND channel = 'erp-orders' AND received_at >= {Ms(oldWindow.From)} AND received_at < {Ms(oldWindow.To)}" + Tail);
var cursor50 = await CursorOfPage(new MessageQuery(), 50);
await Measure("browser", "page 50 via cursor", () => Search(new MessageQuery { Cursor = cursor50 }), Select + $" AND id < {cursor50}" + Tail);
var filtered = new MessageQuery { Channel = "erp-orders", Status = MessageStatus.Processed };
var cursorFiltered50 = await CursorOfPage(filtered, 50);
await Measure("browser", "page 50 via cursor, channel + status", () => Search(filtered with { Cursor = cursorFiltered50 }), Select + $" AND channel = 'erp-orders' AND status = 1 AND id < {cursorFiltered50}" + Tail);
await Measure("browser", $"control id contains '{wanted}' (one match)", () => Search(new MessageQuery { ControlId = wanted }), Select + $" AND control_id LIKE '%{wanted}%' ESCAPE '\\'" + Tail);
await Measure("browser", "control id contains 'NOPE' (no match)", () => Search(new MessageQuery { ControlId = "NOPE" }), Select + " AND control_id LIKE '%NOPE%' ESCAPE '\\'" + Tail);
await Measure("browser", "control id + channel", () => Search(new MessageQuery { Channel = JournalFill.ChannelOf(middleId), ControlId = wanted }),
    Select + $" AND channel = '{JournalFill.ChannelOf(middleId)}' AND control_id LIKE '%{wanted}%' ESCAPE '\\'" + Tail);

await Measure("detail", "message with body, deliveries, attempts", async () =>
{
    var m = await journal.GetMessageAsync(middleId, withBody: true, CancellationToken.None);
    var e = await journal.GetOutboxEntriesAsync(middleId, CancellationToken.None);
    var t = await journal.GetAttemptsAsync(middleId, CancellationToken.None);
    return (m is null ? 0 : 1) + e.Count + t.Count;
});
// The plans below are for the journal's queries as of this bench's commit; if they change, update the text here.
await Measure("overview", "channel counts (GROUP BY channel, status)", async () => (await journal.GetChannelCountsAsync(CancellationToken.None)).Count,
    "SELECT channel, status, COUNT(*) FROM inbox GROUP BY channel, status ORDER BY channel");
await Measure("overview", "queues (partial indexes + delivered counter)", async () => (await journal.GetQueuesAsync(CancellationToken.None)).Count,
    """
    WITH pending AS (SELECT channel, destination, COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox WHERE status = 0 GROUP BY channel, destination),
         dead AS (SELECT channel, destination, COUNT(*) AS dead FROM outbox WHERE status = 2 GROUP BY channel, destination),
         names AS (SELECT channel, destination FROM pending UNION SELECT channel, destination FROM dead UNION SELECT channel, destination FROM queue_counts)
    SELECT n.channel, n.destination, COALESCE(p.depth, 0), p.oldest, COALESCE(d.dead, 0), COALESCE(q.delivered, 0)
    FROM names n
    LEFT JOIN pending p ON p.channel = n.channel AND p.destination = n.destination
    LEFT JOIN dead d ON d.channel = n.channel AND d.destination = n.destination
    LEFT JOIN queue_counts q ON q.channel = n.channel AND q.destination = n.destination
    ORDER BY n.channel, n.destination
    """);
const string Exceptions = """
    SELECT * FROM (
      SELECT message_id, channel, destination, id, NULL AS step, COALESCE(last_error, ''), attempts, COALESCE(next_attempt_at, created_at) AS at
      FROM outbox WHERE status = 2 AND (NULL IS NULL OR channel = NULL)
      UNION ALL
      SELECT id, channel, NULL, NULL, error_step, COALESCE(error, ''), 0, COALESCE(processed_at, received_at)
      FROM inbox WHERE status = 3 AND (NULL IS NULL OR channel = NULL)
    ) ORDER BY at DESC LIMIT 500
    """;
await Measure("exceptions", "exception queue, newest 500", async () => (await journal.GetExceptionsAsync(null, 500, CancellationToken.None)).Count, Exceptions);
await Measure("exceptions", "exception queue of one channel, newest 500", async () => (await journal.GetExceptionsAsync("erp-orders", 500, CancellationToken.None)).Count);

// Candidate fixes, measured as raw SQL on the same file (the journal's schema is not changed by this bench).
async Task<int> RawCount(string sql)
{
    await using var command = raw.CreateCommand();
    command.CommandText = sql;
    await using var reader = await command.ExecuteReaderAsync();
    var n = 0;
    while (await reader.ReadAsync())
    {
        n++;
    }
    return n;
}
var exact = Select + $" AND control_id = '{wanted}'" + Tail;
await Measure("candidate", "control id = (exact, ix_inbox_control)", () => RawCount(exact), exact);
var prefix = Select + $" AND control_id >= '{wanted[..8]}' AND control_id < '{wanted[..8]}' || char(1114111)" + Tail;
await Measure("candidate", $"control id starts with '{wanted[..8]}' (range on ix_inbox_control)", () => RawCount(prefix), prefix);
// A partial index is used only when the query repeats its condition: SQLite does not infer status >= 3 from status = $s.
var rejectedPartial = Select + " AND status = 4 AND status >= 3" + Tail;
await Measure("candidate", "status rejected, repeating the partial index's 'status >= 3'", () => RawCount(rejectedPartial), rejectedPartial);
var exceptionsPartial = Exceptions.Replace("WHERE status = 3 AND", "WHERE status = 3 AND status >= 3 AND", StringComparison.Ordinal);
await Measure("candidate", "exception queue, repeating 'status >= 3'", () => RawCount(exceptionsPartial), exceptionsPartial);
var windowById = Select + $" AND received_at >= {Ms(oldWindow.From)} AND received_at < {Ms(oldWindow.To)}" + " ORDER BY received_at DESC, id DESC LIMIT 51";
await Measure("candidate", "1-hour window, ordered by received_at (ix_inbox_received)", () => RawCount(windowById), windowById);

// The same slow queries again, through the journal, with the indexes proposed for JournalSchema. They are created in
// this bench's own file and dropped afterwards; the journal's schema is not changed.
var proposed = new (string Name, string Sql)[]
{
    ("ix_inbox_channel_received", "CREATE INDEX IF NOT EXISTS ix_inbox_channel_received ON inbox(channel, received_at)"),
    ("inbox_control_trigram", "CREATE VIRTUAL TABLE IF NOT EXISTS inbox_control_trigram USING fts5(control_id, content='inbox', content_rowid='id', tokenize='trigram'); INSERT INTO inbox_control_trigram(inbox_control_trigram) VALUES ('rebuild')"),
};
foreach (var (name, sql) in proposed)
{
    var started = Stopwatch.StartNew();
    Execute(sql);
    Console.WriteLine($"created {name} in {started.Elapsed.TotalSeconds:0.0} s");
}
Execute("ANALYZE");
try
{
    await Measure("indexed", "1-hour window 3 days ago + channel (+ ix_inbox_channel_received)", () => Search(new MessageQuery { Channel = "erp-orders", From = oldWindow.From, To = oldWindow.To }),
        Select + $" AND channel = 'erp-orders' AND received_at >= {Ms(oldWindow.From)} AND received_at < {Ms(oldWindow.To)}" + Tail);
    var trigram = $"SELECT id FROM inbox WHERE id IN (SELECT rowid FROM inbox_control_trigram WHERE control_id LIKE '%{wanted}%')" + Tail;
    await Measure("indexed", "control id contains, through an FTS5 trigram index", () => RawCount(trigram), trigram);
    var trigramChannel = $"SELECT id FROM inbox WHERE channel = '{JournalFill.ChannelOf(middleId)}' AND id IN (SELECT rowid FROM inbox_control_trigram WHERE control_id LIKE '%{wanted}%')" + Tail;
    await Measure("indexed", "control id contains + channel, through the trigram index", () => RawCount(trigramChannel), trigramChannel);
    var trigramNone = "SELECT id FROM inbox WHERE id IN (SELECT rowid FROM inbox_control_trigram WHERE control_id LIKE '%NOPE%')" + Tail;
    await Measure("indexed", "control id contains 'NOPE', through the trigram index", () => RawCount(trigramNone), trigramNone);
}
finally
{
    foreach (var (name, _) in proposed)
    {
        Execute(name.EndsWith("trigram", StringComparison.Ordinal) ? $"DROP TABLE IF EXISTS {name}" : $"DROP INDEX IF EXISTS {name}");
    }
    Execute("DROP TABLE IF EXISTS sqlite_stat1");
}

Write();

void Write()
{
    var md = new StringBuilder();
    md.AppendLine("# Dashboard: message browser on a million messages");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  ");
    md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores (shared with other builds), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Cpu()}  ");
    var filled = fillTime is { } f ? string.Create(CultureInfo.InvariantCulture, $"; filled in {f.TotalSeconds:0} s by 128 concurrent producers (group commit), routed and delivered through the journal API") : "";
    md.AppendLine(CultureInfo.InvariantCulture, $"Journal: SQLite (WAL), {count:N0} messages over 7 days on 4 channels, {Scalar("SELECT COUNT(*) FROM outbox"):N0} outbox entries, {Scalar("SELECT COUNT(*) FROM attempts"):N0} attempts, {fileMb:N0} MB on disk{filled}.  ");
    md.AppendLine("Each row: the first call (cold), then the median and 95th percentile of 20 more; page size 50 (the dashboard's). Reproduce: `dotnet run -c Release --project bench/Sinew.Dashboard.Benchmarks`.");
    md.AppendLine();
    md.AppendLine("| page | query | cold ms | median ms | p95 ms | rows | SQLite plan |");
    md.AppendLine("|---|---|---:|---:|---:|---:|---|");
    foreach (var (group, name, t, plan) in rows)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {group} | {name} | {t.ColdMs:0.0} | {t.MedianMs:0.0} | {t.P95Ms:0.0} | {t.Rows} | {plan.Replace("|", "\\|", StringComparison.Ordinal)} |");
    }
    Directory.CreateDirectory(output);
    var path = Path.Combine(output, "dashboard-search.md");
    // The written analysis below the marker survives a re-run; the figures above it are replaced.
    const string Marker = "<!-- analysis: kept when the bench rewrites the figures above -->";
    var kept = File.Exists(path) ? File.ReadAllText(path) : "";
    var at = kept.IndexOf(Marker, StringComparison.Ordinal);
    File.WriteAllText(path, md.ToString() + Environment.NewLine + (at >= 0 ? kept[at..] : Marker + Environment.NewLine));
    Console.WriteLine("wrote " + path);
}

static string Cpu()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}
