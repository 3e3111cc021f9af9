using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sinew.Host.Admin;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew channels</c>, <c>sinew queues</c> and <c>sinew messages list|show|reprocess</c>.</summary>
internal static class AdminCommands
{
    private static readonly JsonSerializerOptions s_print = new(HttpAdminClient.Json) { WriteIndented = true };

    public static Command Channels()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var command = new Command("channels", "List channels with their state and message counts") { data, url, config, json };
        command.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            var channels = await client.ListChannelsAsync(ct);
            if (parse.GetValue(json))
            {
                Print(channels);
                return 0;
            }
            Table(["CHANNEL", "STATE", "RECEIVED", "PROCESSED", "FILTERED", "FAILED", "REJECTED", "SOURCE"],
                channels.Select(c => new[] { c.Name, c.State, N(c.Counts.Received), N(c.Counts.Processed), N(c.Counts.Filtered), N(c.Counts.Failed), N(c.Counts.Rejected), c.Source }));
            return 0;
        }));
        return command;
    }

    public static Command Queues()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var command = new Command("queues", "List destination queues: depth, age of the oldest entry, dead letters") { data, url, config, json };
        command.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            var queues = await client.ListQueuesAsync(ct);
            if (parse.GetValue(json))
            {
                Print(queues);
                return 0;
            }
            Table(["CHANNEL", "DESTINATION", "DEPTH", "OLDEST AGE", "DEAD LETTERS", "DELIVERED", "CIRCUIT"],
                queues.Select(q => new[] { q.Channel, q.Destination, N(q.Depth), q.OldestAgeSeconds is { } age ? $"{age:0.0} s" : "-", N(q.DeadLetters), N(q.Delivered), q.Circuit }));
            return 0;
        }));
        return command;
    }

    public static Command Report()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var from = new Option<string>("--from") { Description = "First day (yyyy-MM-dd)", Required = true };
        var to = new Option<string>("--to") { Description = "Last day, inclusive (yyyy-MM-dd)", Required = true };
        var channel = new Option<string?>("--channel") { Description = "Only this channel" };
        var variance = new Command("variance", "Inventory variance: consumption recorded by Sinew vs booked in the ERP, per item and storage location; exit 1 when they differ")
        {
            from, to, channel, data, url, config, json,
        };
        variance.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            var report = await client.InventoryVarianceAsync(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(channel), ct);
            if (parse.GetValue(json))
            {
                Print(report);
            }
            else
            {
                Console.WriteLine($"Inventory variance {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}");
                foreach (var (ledger, feeds) in report.Sources)
                {
                    Console.WriteLine($"{ledger}  (fed by {string.Join(", ", feeds)})");
                }
                Table(["LOCATION", "PRODUCT", "RECORDED", "BOOKED", "DIFFERENCE"],
                    report.Rows.Select(r => new[] { r.Location, r.Product, Q(r.Recorded), Q(r.Booked), Q(r.Difference) }));
                foreach (var problem in report.Problems)
                {
                    await Console.Error.WriteLineAsync("problem: " + problem);
                }
            }
            return report.Problems.Count > 0 || report.Rows.Any(r => r.Difference != 0) ? 1 : 0;
        }));
        var command = new Command("report", "Reports across Sinew and the systems it feeds");
        command.Subcommands.Add(variance);
        return command;
    }

    private static string Q(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static Command Messages()
    {
        var messages = new Command("messages", "Find, show and reprocess messages");
        messages.Subcommands.Add(List());
        messages.Subcommands.Add(Show());
        messages.Subcommands.Add(Reprocess());
        return messages;
    }

    private sealed record Filters(Option<string?> Channel, Option<string?> Status, Option<string?> From, Option<string?> To, Option<string?> ControlId, Option<string?> Limit)
    {
        public static Filters Create() => new(
            new Option<string?>("--channel") { Description = "Channel name" },
            new Option<string?>("--status") { Description = "received, processed, filtered, failed or rejected" },
            new Option<string?>("--from") { Description = "Received at or after (ISO 8601)" },
            new Option<string?>("--to") { Description = "Received before (ISO 8601)" },
            new Option<string?>("--control-id") { Description = "Start of the control id (MSH-10, Idempotency-Key, file name); *text matches anywhere" },
            new Option<string?>("--limit") { Description = "How many (1-1000 for list; up to 10000 for reprocess)" });

        public void AddTo(Command command)
        {
            command.Options.Add(Channel);
            command.Options.Add(Status);
            command.Options.Add(From);
            command.Options.Add(To);
            command.Options.Add(ControlId);
            command.Options.Add(Limit);
        }

        public MessageSearchArgs Read(ParseResult parse, string? cursor) => new(
            parse.GetValue(Channel), parse.GetValue(Status), parse.GetValue(From), parse.GetValue(To), parse.GetValue(ControlId), parse.GetValue(Limit), cursor);

        public bool Any(ParseResult parse) =>
            parse.GetValue(Channel) is not null || parse.GetValue(Status) is not null || parse.GetValue(From) is not null
            || parse.GetValue(To) is not null || parse.GetValue(ControlId) is not null;
    }

    private static Command List()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var filters = Filters.Create();
        var cursor = new Option<string?>("--cursor") { Description = "Continue after the last page (printed at its end)" };
        var command = new Command("list", "Search messages, newest first") { data, url, config, json, cursor };
        filters.AddTo(command);
        command.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            var page = await client.SearchAsync(filters.Read(parse, parse.GetValue(cursor)), ct);
            if (parse.GetValue(json))
            {
                Print(page);
                return 0;
            }
            Table(["ID", "RECEIVED", "CHANNEL", "STATUS", "CONTROL ID", "BYTES", "ERROR"],
                page.Items.Select(m => new[] { m.Id.ToString(CultureInfo.InvariantCulture), m.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), m.Channel, m.Status, m.ControlId ?? "", N(m.BodyLength), m.Error ?? "" }));
            if (page.NextCursor is { } next)
            {
                Console.WriteLine($"more: --cursor {next}");
            }
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var id = new Argument<long>("id") { Description = "Message id" };
        var command = new Command("show", "Show one message: raw bytes, steps, deliveries and attempts") { id, data, url, config, json };
        command.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            var detail = await client.GetMessageAsync(parse.GetValue(id), ct);
            if (detail is null)
            {
                Console.Error.WriteLine($"no message {parse.GetValue(id)}");
                return 1;
            }
            if (parse.GetValue(json))
            {
                Print(detail);
                return 0;
            }
            var m = detail.Message;
            Console.WriteLine($"message {m.Id} on {m.Channel} — {m.Status}{(m.Error is null ? "" : $" at {m.ErrorStep}: {m.Error}")}");
            Console.WriteLine($"received {m.ReceivedAt:O} from {m.Source}, {m.ContentType}, {m.BodyLength} bytes, control id {m.ControlId ?? "-"}, partition {m.PartitionKey ?? "-"}");
            Console.WriteLine("steps:");
            foreach (var step in detail.Steps)
            {
                Console.WriteLine($"  {step.Name}: {step.Outcome}{(step.Reason is null ? "" : " — " + step.Reason)}");
            }
            Console.WriteLine("deliveries:");
            foreach (var delivery in detail.Deliveries)
            {
                Console.WriteLine($"  {delivery.Destination}: {delivery.Status} after {delivery.Attempts} attempt(s), key {delivery.IdempotencyKey}{(delivery.LastError is null ? "" : " — " + delivery.LastError)}");
                foreach (var attempt in delivery.History)
                {
                    Console.WriteLine($"    #{attempt.Attempt} {attempt.At:O} {attempt.Outcome}{(attempt.WillRetry ? " (will retry)" : "")} {attempt.DurationMs:0.0} ms {attempt.Detail}");
                }
            }
            Console.WriteLine("body:");
            Console.WriteLine(detail.Text is null ? $"(binary, base64) {detail.BodyBase64}" : detail.Text.Replace("\r", Environment.NewLine, StringComparison.Ordinal));
            return 0;
        }));
        return command;
    }

    private static Command Reprocess()
    {
        var (data, url, config, json) = (CommonOptions.Data(), CommonOptions.Url(), CommonOptions.Config(), CommonOptions.Json());
        var id = new Argument<long?>("id") { Description = "Message id (or use filters for many)", Arity = ArgumentArity.ZeroOrOne };
        var filters = Filters.Create();
        var command = new Command("reprocess", "Put messages back to work: dead-lettered deliveries are retried, otherwise the pipeline runs again") { id, data, url, config, json };
        filters.AddTo(command);
        command.SetAction((parse, ct) => WithClient(parse, data, url, config, async client =>
        {
            if (parse.GetValue(id) is { } one)
            {
                var result = await client.ReprocessAsync(one, ct);
                if (parse.GetValue(json))
                {
                    Print(result);
                }
                else
                {
                    Console.WriteLine($"message {result.MessageId}: {result.Result}");
                }
                return result.Result == "not-found" ? 1 : 0;
            }
            if (!filters.Any(parse))
            {
                throw new CliException("give a message id, or filters (--channel, --status, --from, --to, --control-id) for many");
            }
            var bulk = await client.ReprocessMatchingAsync(filters.Read(parse, null), ct);
            if (parse.GetValue(json))
            {
                Print(bulk);
            }
            else
            {
                Console.WriteLine($"{bulk.Matched} matched, {bulk.Requeued} put back to work");
            }
            return 0;
        }));
        return command;
    }

    private static async Task<int> WithClient(ParseResult parse, Option<string?> data, Option<string> url, Option<string> config, Func<IAdminClient, Task<int>> action)
    {
        try
        {
            await using var client = CommonOptions.OpenClient(parse.GetValue(data), parse.GetValue(url)!, parse.GetValue(config), parse.GetValue(CommonOptions.SharedToken));
            return await action(client);
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void Print<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, s_print));

    private static void Table(string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Min(60, Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length)))).ToArray();
        Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd());
        }
    }
}
