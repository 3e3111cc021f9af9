using System.Text;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;

namespace Sinew.Host.Admin;

/// <summary>
/// What the admin API and the CLI show and do, over the journal (and the running engine when there is one), so
/// <c>sinew messages list --data DIR</c> and <c>GET /api/v1/messages</c> give the same answers.
/// </summary>
public sealed class AdminService(IJournal journal, SinewConfig? config, SinewEngine? engine)
{
    public const int MaxBulkReprocess = 10_000;

    /// <summary>The inventory variance report; null when no configuration is loaded (the ERP is named there).</summary>
    public async Task<VarianceReport?> InventoryVarianceAsync(DateOnly from, DateOnly to, string? channel, CancellationToken cancellationToken) =>
        config is null ? null : await InventoryVariance.BuildAsync(journal, config, from, to, channel, cancellationToken);

    public async Task<IReadOnlyList<ChannelView>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        var counts = (await journal.GetChannelCountsAsync(cancellationToken)).ToDictionary(c => c.Channel, StringComparer.OrdinalIgnoreCase);
        var list = new List<ChannelView>();
        if (config is not null)
        {
            foreach (var channel in config.Channels)
            {
                var paused = engine?.FindChannel(channel.Name)?.IsPaused ?? await journal.IsPausedAsync(channel.Name, cancellationToken);
                list.Add(new ChannelView(channel.Name, channel.Description, channel.Source.Describe(), paused ? "paused" : engine is null ? "stopped" : "running",
                    channel.Destinations.Select(d => $"{d.Name} ({d.Type})").ToList(), CountsView.From(counts.GetValueOrDefault(channel.Name))));
                counts.Remove(channel.Name);
            }
        }
        foreach (var orphan in counts.Values)
        {
            list.Add(new ChannelView(orphan.Channel, "", "", "not configured", [], CountsView.From(orphan)));
        }
        return list;
    }

    public async Task<ChannelStateView?> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        var runtime = engine?.FindChannel(name);
        if (runtime is not null)
        {
            await runtime.SetPausedAsync(paused, cancellationToken);
            return new ChannelStateView(runtime.Name, paused ? "paused" : "running");
        }
        if (config?.Channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } channel)
        {
            await journal.SetPausedAsync(channel.Name, paused, cancellationToken);
            return new ChannelStateView(channel.Name, paused ? "paused" : "stopped");
        }
        return null;
    }

    public async Task<MessagePageView> SearchAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        var page = await journal.SearchAsync(query, cancellationToken);
        return new MessagePageView(page.Items.Select(MessageSummary.From).ToList(), page.NextCursor);
    }

    public async Task<MessageDetail?> GetMessageAsync(long id, CancellationToken cancellationToken)
    {
        var message = await journal.GetMessageAsync(id, withBody: true, cancellationToken);
        if (message is null)
        {
            return null;
        }
        var entries = await journal.GetOutboxEntriesAsync(id, cancellationToken);
        var attempts = await journal.GetAttemptsAsync(id, cancellationToken);
        var deliveries = entries.Select(e => new DeliveryView(
            e.Id, e.Destination, e.Status.ToString().ToLowerInvariant(), e.PartitionKey, e.IdempotencyKey, e.Attempts, e.DeliveredAt, e.NextAttemptAt, e.LastError,
            attempts.Where(a => a.OutboxId == e.Id).Select(a => new AttemptView(a.Attempt, a.At, a.Outcome.ToString().ToLowerInvariant(), a.WillRetry, a.Detail, a.DurationMs)).ToList()))
            .ToList();
        var body = message.Body.Span;
        var text = System.Text.Unicode.Utf8.IsValid(body) ? Encoding.UTF8.GetString(body) : null;
        return new MessageDetail(MessageSummary.From(message), text, Convert.ToBase64String(body), StepsOf(message), deliveries);
    }

    private IReadOnlyList<StepView> StepsOf(StoredMessage message)
    {
        var channel = config?.Channels.FirstOrDefault(c => string.Equals(c.Name, message.Channel, StringComparison.OrdinalIgnoreCase));
        if (channel is null)
        {
            return message.ErrorStep is null ? [] : [new StepView(message.ErrorStep, message.Status.ToString().ToLowerInvariant(), message.Error)];
        }
        var steps = new List<StepView>();
        var reached = false;
        foreach (var step in channel.Steps)
        {
            var outcome = message.Status switch
            {
                MessageStatus.Received => "pending",
                MessageStatus.Rejected => "not-run",
                MessageStatus.Processed => "passed",
                _ when reached => "not-run",
                _ when step.Name == message.ErrorStep => message.Status == MessageStatus.Filtered ? "filtered" : "failed",
                _ => "passed",
            };
            if (step.Name == message.ErrorStep)
            {
                reached = true;
            }
            steps.Add(new StepView(step.Name, outcome, step.Name == message.ErrorStep ? message.Error : null));
        }
        if (message.ErrorStep is { } errorStep && !channel.Steps.Any(s => s.Name == errorStep))
        {
            steps.Add(new StepView(errorStep, message.Status.ToString().ToLowerInvariant(), message.Error));
        }
        return steps;
    }

    public async Task<ReprocessView> ReprocessAsync(long id, CancellationToken cancellationToken)
    {
        var result = await journal.ReprocessAsync(id, cancellationToken);
        if (IsRequeued(result) && engine is not null && await journal.GetMessageAsync(id, withBody: false, cancellationToken) is { } message)
        {
            engine.Wake(message.Channel);
        }
        return new ReprocessView(id, ToKebab(result.ToString()));
    }

    private static bool IsRequeued(ReprocessResult result) => result is ReprocessResult.DeliveriesRequeued or ReprocessResult.PipelineRequeued;

    public async Task<BulkReprocessView> ReprocessMatchingAsync(MessageQuery query, int max, CancellationToken cancellationToken)
    {
        var results = new List<ReprocessView>();
        long? cursor = null;
        while (results.Count < max)
        {
            var page = await journal.SearchAsync(query with { Cursor = cursor, Limit = Math.Min(MessageQuery.MaxLimit, max - results.Count) }, cancellationToken);
            foreach (var message in page.Items)
            {
                // The page already names each message's channel: no second read per message to know whom to wake.
                var result = await journal.ReprocessAsync(message.Id, cancellationToken);
                if (IsRequeued(result))
                {
                    engine?.Wake(message.Channel);
                }
                results.Add(new ReprocessView(message.Id, ToKebab(result.ToString())));
            }
            if (page.NextCursor is null)
            {
                break;
            }
            cursor = page.NextCursor;
        }
        return new BulkReprocessView(results.Count, results.Count(r => r.Result is "deliveries-requeued" or "pipeline-requeued"), results);
    }

    public async Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var queues = (await journal.GetQueuesAsync(cancellationToken)).ToList();
        // Every configured destination has a queue, also before anything was queued for it (empty, circuit as it is).
        var known = queues.Select(q => (q.Channel, q.Destination)).ToHashSet();
        foreach (var channel in config?.Channels ?? [])
        {
            foreach (var destination in channel.Destinations.Where(d => !known.Contains((channel.Name, d.Name))))
            {
                queues.Add(new QueueInfo(channel.Name, destination.Name, Depth: 0, OldestAt: null, DeadLetters: 0, Delivered: 0));
            }
        }
        return queues
            .OrderBy(q => q.Channel, StringComparer.Ordinal).ThenBy(q => q.Destination, StringComparer.Ordinal)
            .Select(q => new QueueView(
                q.Channel, q.Destination, q.Depth, q.OldestAt, q.OldestAt is { } oldest ? Math.Round((now - oldest).TotalSeconds, 3) : null, q.DeadLetters, q.Delivered,
                engine?.FindChannel(q.Channel)?.Workers.FirstOrDefault(w => w.Destination == q.Destination)?.CircuitState ?? "unknown"))
            .ToList();
    }

    public async Task<IReadOnlyList<ExceptionView>> ListExceptionsAsync(string? channel, int limit, CancellationToken cancellationToken)
    {
        var list = await journal.GetExceptionsAsync(channel, limit, cancellationToken);
        return list.Select(e => new ExceptionView(e.MessageId, e.Channel, e.Destination, e.OutboxId, e.Step, e.Reason, e.Attempts, e.At)).ToList();
    }

    public Task<bool> DiscardAsync(long outboxId, string reason, CancellationToken cancellationToken) =>
        journal.DiscardAsync(outboxId, reason, cancellationToken);

    public Task<bool> DiscardMessageAsync(long messageId, string reason, CancellationToken cancellationToken) =>
        journal.DiscardMessageAsync(messageId, reason, cancellationToken);

    private static string ToKebab(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
