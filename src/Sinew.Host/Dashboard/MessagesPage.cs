using Microsoft.AspNetCore.Http;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary><c>GET /messages</c>: search by channel, status, time range and control id, newest first, paged by cursor.</summary>
internal static class MessagesPage
{
    private static readonly string[] Statuses = ["received", "processed", "filtered", "failed", "rejected", "discarded"];

    public static async Task<IResult> GetAsync(
        HttpContext context, AdminService admin, SinewConfig config,
        string? channel, string? status, string? from, string? to, string? controlId, string? limit, string? cursor, CancellationToken ct)
    {
        var query = MessageQueryParser.Parse(channel, status, from, to, controlId, limit, cursor, out var error);
        var html = new HtmlWriter();
        html.Add($"<h1>Messages</h1>");
        html.Add($"""
            <form class="filters" method="get" action="/messages" role="search" aria-label="Search messages">
            <div><label for="f-channel">Channel</label><select id="f-channel" name="channel"><option value="">all channels</option>
            """);
        foreach (var name in config.Channels.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase))
        {
            html.Add($"<option{Selected(name, channel)}>{name}</option>");
        }
        html.Add($"""
            </select></div>
            <div><label for="f-status">Status</label><select id="f-status" name="status"><option value="">any status</option>
            """);
        foreach (var name in Statuses)
        {
            html.Add($"<option{Selected(name, status)}>{name}</option>");
        }
        html.Add($"""
            </select></div>
            <div><label for="f-from">From (UTC)</label><input id="f-from" name="from" type="datetime-local" step="1" value="{LocalValue(from)}"></div>
            <div><label for="f-to">To (UTC)</label><input id="f-to" name="to" type="datetime-local" step="1" value="{LocalValue(to)}"></div>
            <div><label for="f-control">Control id starts with (*text: contains)</label><input id="f-control" name="controlId" value="{controlId}" maxlength="200" autocomplete="off" spellcheck="false"></div>
            <div><button type="submit" class="primary">Search</button> <a class="button" href="/messages">Clear</a></div>
            </form>
            """);
        if (error is not null)
        {
            DashboardPage.Notice(html, error, error: true);
            return DashboardPage.Render(context, "Messages", DashboardPage.Section.Messages, html, StatusCodes.Status400BadRequest);
        }

        var page = await admin.SearchAsync(query, ct);
        html.Add($"""
            <table>
            <caption>{(query.Cursor is null ? "Newest messages first" : "Older messages")} <span class="muted small">({page.Items.Count} shown; times in UTC)</span></caption>
            <thead><tr><th scope="col" class="num">Id</th><th scope="col">Received</th><th scope="col">Channel</th><th scope="col">Status</th>
            <th scope="col">Control id</th><th scope="col">Content type</th><th scope="col" class="num">Size</th><th scope="col">Error</th></tr></thead>
            <tbody>
            """);
        if (page.Items.Count == 0)
        {
            html.Add($"""<tr><td colspan="8" class="muted">No message matches.</td></tr>""");
        }
        foreach (var m in page.Items)
        {
            html.Add($"""
                <tr><td class="num"><a href="/messages/{m.Id}">{m.Id}</a></td><td class="mono nowrap">{Format.Time(m.ReceivedAt)}</td><td class="nowrap">{m.Channel}</td>
                <td>{StatusBadge(m.Status)}</td><td class="mono">{m.ControlId ?? "—"}</td><td class="mono small">{m.ContentType}</td>
                <td class="num nowrap">{Format.Bytes(m.BodyLength)}</td><td class="small">{Truncate(m.Error, 160)}</td></tr>
                """);
        }
        html.Add($"</tbody></table><nav class=\"pager\" aria-label=\"Pages\">");
        if (query.Cursor is not null)
        {
            html.Add($"<a class=\"button\" href=\"{Link(query with { Cursor = null })}\">First page</a>");
        }
        if (page.NextCursor is { } next)
        {
            html.Add($"<a class=\"button\" rel=\"next\" href=\"{Link(query with { Cursor = next })}\">Next page (older) →</a>");
        }
        html.Add($"</nav>");
        return DashboardPage.Render(context, "Messages", DashboardPage.Section.Messages, html);
    }

    /// <summary>A search URL for a query, as the form would write it.</summary>
    public static string Link(MessageQuery query)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("channel", query.Channel);
        Add("status", query.Status?.ToString().ToLowerInvariant());
        Add("from", query.From is { } f ? Format.IsoTime(f) : null);
        Add("to", query.To is { } t ? Format.IsoTime(t) : null);
        Add("controlId", query.ControlId);
        Add("limit", query.Limit == new MessageQuery().Limit ? null : query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("cursor", query.Cursor?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/messages" : "/messages?" + string.Join('&', parts);
    }

    public static HtmlContent StatusBadge(string status) =>
        new HtmlWriter().Add($"<span class=\"badge {status switch
        {
            "processed" => "ok",
            "failed" or "rejected" or "deadlettered" or "dead-lettered" or "error" => "bad",
            "delivered" or "passed" => "ok",
            "received" or "pending" => "warn",
            _ => "idle",
        }}\">{status}</span>").ToContent();

    public static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max] + "…";

    private static HtmlContent Selected(string option, string? current) =>
        string.Equals(option, current?.Trim(), StringComparison.OrdinalIgnoreCase) ? new HtmlContent(" selected") : default;

    /// <summary>A datetime-local input wants <c>yyyy-MM-ddTHH:mm:ss</c>; what the user typed goes back as they typed it when it does not parse.</summary>
    private static string? LocalValue(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
            : text;
}
