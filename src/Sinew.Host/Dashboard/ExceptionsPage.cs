using Microsoft.AspNetCore.Http;
using Sinew.Engine.Config;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary><c>GET /exceptions</c>: failed steps and dead-lettered deliveries, grouped by channel, place and reason, to reprocess or discard together.</summary>
internal static partial class ExceptionsPage
{
    public const int DefaultLimit = 500;

    /// <summary>Rows of a group shown unfolded; a big group (one destination down) would otherwise fill the page.</summary>
    public const int ShownPerGroup = 10;

    public static async Task<IResult> GetAsync(HttpContext context, AdminService admin, SinewConfig config, string? channel, string? notice, int? count, CancellationToken ct)
    {
        channel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim();
        var entries = await admin.ListExceptionsAsync(channel, DefaultLimit, ct);
        var token = DashboardPage.AntiforgeryField(context);
        var html = new HtmlWriter();
        html.Add($"<h1>Exception queue</h1>");
        DashboardPage.Notice(html, notice switch
        {
            "reprocessed" => $"{count ?? 0} message(s) put back to work.",
            "discarded" => $"{count ?? 0} item(s) discarded.",
            "nothing-selected" => "Select at least one item first.",
            "reason-required" => "Give a reason to discard.",
            _ => null,
        }, error: notice is "nothing-selected" or "reason-required");
        html.Add($"""
            <form class="filters" method="get" action="/exceptions" aria-label="Filter the exception queue">
            <div><label for="x-channel">Channel</label><select id="x-channel" name="channel"><option value="">all channels</option>
            """);
        foreach (var name in config.Channels.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase))
        {
            html.Add($"<option{(string.Equals(name, channel, StringComparison.OrdinalIgnoreCase) ? new HtmlContent(" selected") : default)}>{name}</option>");
        }
        html.Add($"""
            </select></div>
            <div><button type="submit">Show</button></div>
            </form>
            """);
        if (entries.Count == 0)
        {
            html.Add($"<p class=\"muted\">The exception queue is empty{(channel is null ? "" : " for this channel")}.</p>");
            return DashboardPage.Render(context, "Exception queue", DashboardPage.Section.Exceptions, html);
        }
        var groups = entries
            .GroupBy(e => (e.Channel, Place: e.Destination is { } d ? "delivery to " + d : "step " + (e.Step ?? "?"), Reason: ReasonPattern(e.Reason)))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Channel, StringComparer.Ordinal)
            .ToList();
        html.Add($"<p class=\"muted\">{entries.Count}{(entries.Count == DefaultLimit ? "+ (the newest " + DefaultLimit + " shown)" : "")} item(s) in {groups.Count} group(s), largest first. Times in UTC.</p>");
        var index = 0;
        foreach (var group in groups)
        {
            index++;
            var id = $"g{index}";
            // Reasons that differ only in numbers or quoted text share a group; then each row shows its own.
            var varied = group.Select(e => e.Reason).Distinct(StringComparer.Ordinal).Skip(1).Any();
            html.Add($"""
                <section class="group" aria-labelledby="{id}-title">
                <h2 id="{id}-title">{group.Key.Channel} · {group.Key.Place} <span class="badge bad">{group.Count()}</span></h2>
                <p class="reason">{MessagesPage.Truncate(varied ? group.Key.Reason : group.First().Reason, 600)}</p>
                <form method="post" action="/exceptions/reprocess">{token}
                """);
            var rows = group.ToList();
            WriteRows(html, id, rows.Take(ShownPerGroup), varied, headerSelectsAll: true);
            if (rows.Count > ShownPerGroup)
            {
                // The rest stay in the form, folded: "select all" and the buttons still cover them.
                html.Add($"<details><summary>Show the other {rows.Count - ShownPerGroup} of this group</summary>");
                WriteRows(html, id, rows.Skip(ShownPerGroup), varied, headerSelectsAll: false);
                html.Add($"</details>");
            }
            // Enter in the reason field submits the first button: Discard, the one that needs the reason.
            html.Add($"""
                <div class="actions">
                <span class="field"><label for="{id}-reason">Reason to discard</label><input id="{id}-reason" name="reason" maxlength="500" size="32"></span>
                <button type="submit" class="danger" formaction="/exceptions/discard">Discard selected</button>
                <button type="submit" class="primary" formaction="/exceptions/reprocess">Reprocess selected</button>
                </div>
                <input type="hidden" name="channel" value="{channel ?? ""}">
                </form>
                </section>
                """);
        }
        return DashboardPage.Render(context, "Exception queue", DashboardPage.Section.Exceptions, html);
    }

    private static void WriteRows(HtmlWriter html, string id, IEnumerable<ExceptionView> rows, bool varied, bool headerSelectsAll)
    {
        var selectAll = headerSelectsAll
            ? new HtmlWriter().Add($"<input type=\"checkbox\" data-select-all id=\"{id}-all\" aria-label=\"Select all in this group\">").ToContent()
            : new HtmlContent("<span class=\"visually-hidden\">Select</span>");
        html.Add($"""
            <table><caption class="visually-hidden">Items of this group</caption>
            <thead><tr><th scope="col">{selectAll}</th>
            <th scope="col" class="num">Message</th><th scope="col">At</th><th scope="col" class="num">Attempts</th>{(varied ? new HtmlContent("<th scope=\"col\">Reason</th>") : default)}<th scope="col">Edit</th></tr></thead><tbody>
            """);
        foreach (var e in rows)
        {
            var value = e.OutboxId is { } outbox ? $"{e.MessageId}:{outbox}" : $"{e.MessageId}:";
            html.Add($"""
                <tr><td><input type="checkbox" name="item" value="{value}" id="{id}-{value}" aria-label="Select message {e.MessageId}"></td>
                <td class="num"><a href="/messages/{e.MessageId}">{e.MessageId}</a></td><td class="mono nowrap">{Format.Time(e.At)}</td><td class="num">{e.Attempts}</td>{(varied ? new HtmlWriter().Add($"<td class=\"reason small\">{MessagesPage.Truncate(e.Reason, 300)}</td>").ToContent() : default)}
                <td><a href="/messages/{e.MessageId}/edit" aria-label="Edit and reprocess message {e.MessageId}">Edit…</a></td></tr>
                """);
        }
        html.Add($"</tbody></table>");
    }

    /// <summary>The reason with numbers as <c>#</c> and quoted text as <c>'…'</c>, so "byte 17" and "byte 9" of one kind of error group together (HTTP status codes stay).</summary>
    public static string ReasonPattern(string reason) => QuotedOrNumber().Replace(reason, m => m.Value[0] switch
    {
        '\'' => "'…'",
        '"' => "\"…\"",
        _ => "#",
    });

    [System.Text.RegularExpressions.GeneratedRegex("'[^']{0,80}'|\"[^\"]{0,80}\"|(?<!HTTP |\\d)\\d+")]
    private static partial System.Text.RegularExpressions.Regex QuotedOrNumber();
}
