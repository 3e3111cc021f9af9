using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary><c>GET /</c>: every channel with its state, throughput, counts, queues and actions; refreshes itself.</summary>
internal static class OverviewPage
{
    /// <summary>The quickest refresh; slower when gathering the figures takes long.</summary>
    public const int RefreshSeconds = 5;

    public static async Task<IResult> GetAsync(HttpContext context, AdminService admin, ThroughputHistory history, Sinew.Engine.Sla.SlaMonitor sla, string? notice, string? channel, CancellationToken ct)
    {
        var gathering = Stopwatch.StartNew();
        // Two independent reads on their own connections: the page waits for the slower, not for both.
        var channelsRead = admin.ListChannelsAsync(ct);
        var queuesRead = admin.ListQueuesAsync(ct);
        var channels = await channelsRead;
        var queues = await queuesRead;
        // On a big journal the counts cost real time; refresh ten times less often than they take (5 s to 1 min).
        var refresh = Math.Clamp((int)Math.Ceiling(gathering.Elapsed.TotalSeconds * 10), RefreshSeconds, 60);
        var queuesOf = queues.ToLookup(q => q.Channel, StringComparer.OrdinalIgnoreCase);
        var slaOf = sla.Current.ToLookup(s => s.Channel, StringComparer.OrdinalIgnoreCase);
        var token = DashboardPage.AntiforgeryField(context);

        var html = new HtmlWriter();
        html.Add($"""<h1>Overview</h1>""");
        DashboardPage.Notice(html, notice switch
        {
            "paused" => $"Channel {channel} is paused: it keeps accepting messages and holds its pipeline and deliveries.",
            "resumed" => $"Channel {channel} is running again.",
            "unknown-channel" => $"There is no channel {channel}.",
            _ => null,
        }, error: notice == "unknown-channel");
        html.Add($"""
            <p class="refresh"><label><input type="checkbox" id="auto-refresh" checked> Refresh every <span id="refresh-every">{refresh}</span> s</label></p>
            <div data-refresh="{refresh}">
            """);

        long received = 0, errors = 0, depth = 0;
        foreach (var c in channels)
        {
            received += c.Counts.Total;
            errors += c.Counts.Failed + c.Counts.Rejected;
        }
        foreach (var q in queues)
        {
            errors += q.DeadLetters;
            depth += q.Depth;
        }
        html.Add($"""
            <div class="cards">
            <div class="card"><div class="value">{channels.Count}</div><div class="label">channels</div></div>
            <div class="card"><div class="value">{Format.Count(received)}</div><div class="label">messages in the journal</div></div>
            <div class="card"><div class="value">{Format.Count(depth)}</div><div class="label">waiting in queues</div></div>
            <div class="card"><div class="value"><a href="/exceptions">{Format.Count(errors)}</a></div><div class="label">in the exception queue (failed, rejected, dead letters)</div></div>
            </div>
            <table>
            <caption>Channels <span class="muted small">(as of {Format.Time(history.Now)}; times in UTC)</span></caption>
            <thead><tr>
            <th scope="col">Channel</th><th scope="col">State</th><th scope="col">Last hour</th>
            <th scope="col" class="num">Received</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Errors</th>
            <th scope="col">Queues (depth · oldest · circuit)</th><th scope="col">SLA</th><th scope="col">Actions</th>
            </tr></thead>
            <tbody>
            """);
        if (channels.Count == 0)
        {
            html.Add($"""<tr><td colspan="9" class="muted">No channels are configured.</td></tr>""");
        }
        foreach (var c in channels)
        {
            var channelQueues = queuesOf[c.Name].ToList();
            var delivered = channelQueues.Sum(q => q.Delivered);
            var channelErrors = c.Counts.Failed + c.Counts.Rejected + channelQueues.Sum(q => q.DeadLetters);
            var (state, badge, why) = StateOf(c, channelQueues);
            html.Add($"""
                <tr>
                <th scope="row"><a href="/messages?channel={Uri.EscapeDataString(c.Name)}">{c.Name}</a><div class="small muted">{c.Description}</div></th>
                <td><span class="badge {badge}">{state}</span>{(why is null ? default : new HtmlWriter().Add($"<div class=\"small muted\">{why}</div>").ToContent())}</td>
                <td>
                """);
            Sparkline.Write(html, history.PerMinute(c.Name));
            html.Add($"""
                </td>
                <td class="num">{Format.Count(c.Counts.Total)}</td>
                <td class="num">{Format.Count(delivered)}</td>
                <td class="num">{ErrorsCell(c.Name, channelErrors)}</td>
                <td>{QueuesCell(c, channelQueues)}</td>
                <td>{SlaCell(slaOf[c.Name].ToList())}</td>
                <td>{ActionCell(c, token)}</td>
                </tr>
                """);
        }
        html.Add($"""
            </tbody>
            </table>
            </div>
            """);
        return DashboardPage.Render(context, "Overview", DashboardPage.Section.Overview, html);
    }

    /// <summary>Each objective of the channel with its state (ok, breached, inactive) and what was measured; a dash when it has none.</summary>
    private static HtmlContent SlaCell(IReadOnlyList<Sinew.Engine.Sla.SlaStatus> objectives)
    {
        if (objectives.Count == 0)
        {
            return new HtmlWriter().Add($"""<span class="muted small" aria-label="no SLA monitor">—</span>""").ToContent();
        }
        var cell = new HtmlWriter();
        foreach (var o in objectives)
        {
            var badge = o.State switch { "ok" => "ok", "breached" => "bad", _ => "idle" };
            cell.Add($"""<div><span class="badge {badge}" title="{o.Objective}">{o.Name}: {o.State}</span> <span class="small muted">{o.Detail}</span></div>""");
        }
        return cell.ToContent();
    }

    /// <summary>Running, paused, or error when a destination's circuit is open (it cannot deliver right now).</summary>
    private static (string State, string Badge, string? Why) StateOf(ChannelView channel, IReadOnlyList<QueueView> queues)
    {
        if (channel.State == "paused")
        {
            return ("paused", "warn", null);
        }
        var broken = queues.Where(q => q.Circuit is "open" or "half-open").Select(q => q.Destination).ToList();
        if (broken.Count > 0)
        {
            return ("error", "bad", "circuit open: " + string.Join(", ", broken));
        }
        return channel.State switch
        {
            "running" => ("running", "ok", null),
            _ => (channel.State, "idle", null),
        };
    }

    private static HtmlContent ErrorsCell(string channel, long errors) =>
        errors == 0
            ? new HtmlContent("0")
            : new HtmlWriter().Add($"<a href=\"/exceptions?channel={Uri.EscapeDataString(channel)}\">{Format.Count(errors)}</a>").ToContent();

    private static HtmlContent QueuesCell(ChannelView channel, IReadOnlyList<QueueView> queues)
    {
        var html = new HtmlWriter();
        html.Add($"<ul class=\"queues\">");
        // Destinations that never had an entry have no queue row yet; they are listed empty.
        var names = channel.Destinations.Select(d => d.Split(' ')[0]).Union(queues.Select(q => q.Destination), StringComparer.OrdinalIgnoreCase);
        var any = false;
        foreach (var name in names)
        {
            any = true;
            var q = queues.FirstOrDefault(x => string.Equals(x.Destination, name, StringComparison.OrdinalIgnoreCase));
            var circuit = q?.Circuit ?? "closed";
            html.Add($"<li><span class=\"mono\">{name}</span>: {Format.Count(q?.Depth ?? 0)} · {Format.Age(q?.OldestAgeSeconds)} · <span class=\"{(circuit == "closed" ? "muted" : "badge bad")}\">{circuit}</span></li>");
        }
        if (!any)
        {
            html.Add($"<li class=\"muted\">no destinations</li>");
        }
        html.Add($"</ul>");
        return html.ToContent();
    }

    private static HtmlContent ActionCell(ChannelView channel, HtmlContent token)
    {
        if (channel.State is not ("running" or "paused" or "stopped"))
        {
            return new HtmlContent("<span class=\"muted small\">—</span>");
        }
        var paused = channel.State == "paused";
        var action = paused ? "resume" : "pause";
        return new HtmlWriter().Add($"""
            <form class="inline" method="post" action="/channels/{Uri.EscapeDataString(channel.Name)}/{action}">{token}<button type="submit" aria-label="{(paused ? "Resume" : "Pause")} {channel.Name}">{(paused ? "Resume" : "Pause")}</button></form>
            """).ToContent();
    }
}
