using Microsoft.AspNetCore.Http;
using Sinew.Core.Journal;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary><c>GET /messages/{id}</c>: the raw message, each step's outcome, each delivery with its attempts, and a timeline.</summary>
internal static class MessagePage
{
    public static async Task<IResult> GetAsync(HttpContext context, long id, AdminService admin, IJournal journal, string? notice, long? from, CancellationToken ct)
    {
        var detail = await admin.GetMessageAsync(id, ct);
        var stored = await journal.GetMessageAsync(id, withBody: true, ct);
        if (detail is null || stored is null)
        {
            return DashboardPage.Problem(context, StatusCodes.Status404NotFound, "Message not found", $"There is no message {id}; it may have been removed by retention.", DashboardPage.Section.Messages);
        }
        var m = detail.Message;
        var token = DashboardPage.AntiforgeryField(context);
        var html = new HtmlWriter();
        html.Add($"<p class=\"small\"><a href=\"/messages?channel={Uri.EscapeDataString(m.Channel)}\">← Messages of {m.Channel}</a></p>");
        html.Add($"<h1>Message {m.Id} {MessagesPage.StatusBadge(m.Status)}</h1>");
        DashboardPage.Notice(html, notice switch
        {
            "reprocessed" => "The message was put back to work.",
            "not-reprocessed" => "Nothing to reprocess: the message has no failed step and no dead-lettered delivery.",
            "discarded" => "The message was taken out of the exception queue.",
            "not-discarded" => "Nothing was discarded: the message is not in the exception queue.",
            "reason-required" => "Give a reason to discard.",
            "replaced" => $"This message was submitted as an edited copy of message {from}, which was discarded.",
            "copied" => $"This message was submitted as an edited copy of message {from}, which was not in the exception queue and stays as it was.",
            _ => null,
        }, error: notice is "not-discarded" or "reason-required" or "not-reprocessed");

        html.Add($"""
            <dl class="facts">
            <dt>Channel</dt><dd>{m.Channel}</dd>
            <dt>Source</dt><dd class="mono">{m.Source}</dd>
            <dt>Received</dt><dd class="mono">{Format.Time(m.ReceivedAt)}</dd>
            <dt>Processed</dt><dd class="mono">{Format.Time(stored.ProcessedAt)}</dd>
            <dt>Control id</dt><dd class="mono">{m.ControlId ?? "—"}</dd>
            <dt>Content type</dt><dd class="mono">{m.ContentType}</dd>
            <dt>Size</dt><dd>{Format.Bytes(m.BodyLength)}</dd>
            <dt>Partition key</dt><dd class="mono">{m.PartitionKey ?? "—"}</dd>
            <dt>Runs</dt><dd>{m.Generation + 1}</dd>
            {(m.Error is null ? default : new HtmlWriter().Add($"<dt>Error</dt><dd class=\"reason\">{m.ErrorStep}{(m.ErrorStep is null ? "" : ": ")}{m.Error}</dd>").ToContent())}
            </dl>
            """);
        WriteActions(html, detail, token);

        html.Add($"<h2>Timeline</h2>");
        WriteTimeline(html, detail, stored);

        html.Add($"""
            <h2>Steps</h2>
            <table><thead><tr><th scope="col">Step</th><th scope="col">Outcome</th><th scope="col">Reason</th></tr></thead><tbody>
            """);
        if (detail.Steps.Count == 0)
        {
            html.Add($"<tr><td colspan=\"3\" class=\"muted\">The channel has no steps.</td></tr>");
        }
        foreach (var step in detail.Steps)
        {
            html.Add($"<tr><td class=\"mono\">{step.Name}</td><td>{MessagesPage.StatusBadge(step.Outcome)}</td><td class=\"reason\">{step.Reason ?? ""}</td></tr>");
        }
        html.Add($"</tbody></table>");

        html.Add($"<h2>Deliveries</h2>");
        if (detail.Deliveries.Count == 0)
        {
            html.Add($"<p class=\"muted\">No deliveries{(m.Status is "processed" ? "" : " (the message has not been routed)")}.</p>");
        }
        foreach (var d in detail.Deliveries)
        {
            html.Add($"""
                <h3>{d.Destination} {MessagesPage.StatusBadge(d.Status)}</h3>
                <dl class="facts small">
                <dt>Attempts</dt><dd>{d.Attempts}</dd>
                <dt>Delivered</dt><dd class="mono">{Format.Time(d.DeliveredAt)}</dd>
                {(d.Status == "pending" ? new HtmlWriter().Add($"<dt>Next attempt</dt><dd class=\"mono\">{Format.Time(d.NextAttemptAt)}</dd>").ToContent() : default)}
                <dt>Idempotency key</dt><dd class="mono">{d.IdempotencyKey}</dd>
                {(d.LastError is null ? default : new HtmlWriter().Add($"<dt>Last error</dt><dd class=\"reason\">{d.LastError}</dd>").ToContent())}
                </dl>
                <table><caption class="visually-hidden">Attempts to deliver to {d.Destination}</caption>
                <thead><tr><th scope="col" class="num">#</th><th scope="col">At</th><th scope="col">Outcome</th><th scope="col">Retry</th><th scope="col" class="num">Duration</th><th scope="col">Response</th></tr></thead><tbody>
                """);
            if (d.History.Count == 0)
            {
                html.Add($"<tr><td colspan=\"6\" class=\"muted\">Not tried yet.</td></tr>");
            }
            foreach (var a in d.History)
            {
                html.Add($"""
                    <tr><td class="num">{a.Attempt}</td><td class="mono">{Format.Time(a.At)}</td><td>{MessagesPage.StatusBadge(AttemptOutcome(a))}</td>
                    <td>{(a.WillRetry ? "yes" : "no")}</td><td class="num">{a.DurationMs:0.#} ms</td><td class="reason">{a.Detail ?? ""}</td></tr>
                    """);
            }
            html.Add($"</tbody></table>");
        }

        html.Add($"<h2>Raw message</h2>");
        // Bodies are PHI: shown with phi:view, or to an auditor who gives a reason; every view is audited.
        if (Security.Access.BodyAccess.CanView(context))
        {
            await Security.Access.BodyAccess.AuditViewAsync(context, $"message/{id}", ct);
            BodyView.Write(html, m.ContentType, stored.Body);
            await WriteCanonicalAsync(html, journal, id, ct);
        }
        else
        {
            html.Add($"""<p class="muted" id="body-masked">The body is hidden: seeing message content needs the <code>phi:view</code> grant.</p>""");
            if (Security.Access.BodyAccess.CouldViewWithReason(context))
            {
                html.Add($"""
                    <form method="get" action="/messages/{id}" class="inline">
                    <label for="view-reason">Reason to view this message's content (audited)</label>
                    <input id="view-reason" name="reason" required maxlength="500" placeholder="e.g. incident 4711, patient complaint">
                    <button type="submit">Show body</button></form>
                    """);
            }
        }
        return DashboardPage.Render(context, $"Message {m.Id}", DashboardPage.Section.Messages, html);
    }

    /// <summary>
    /// The canonical records a mapping made of the message, as queued for each destination: what left Sinew after the
    /// PHI policy, so destinations that may receive different classes show different forms.
    /// </summary>
    private static async Task WriteCanonicalAsync(HtmlWriter html, IJournal journal, long id, CancellationToken ct)
    {
        var forms = (await journal.GetOutboxEntriesAsync(id, withPayload: true, ct))
            .Where(e => Canonical.CanonicalJson.IsCanonical(e.ContentType))
            .GroupBy(e => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(e.Payload.Span)))
            .ToList();
        if (forms.Count == 0)
        {
            return;
        }
        html.Add($"<h2>Canonical form</h2>");
        foreach (var form in forms)
        {
            var first = form.First();
            var destinations = string.Join(", ", form.Select(e => e.Destination));
            html.Add($"""<p class="small">As queued for {destinations} <span class="mono">({first.ContentType})</span></p>""");
            BodyView.Write(html, "application/json", first.Payload);
        }
    }

    private static void WriteActions(HtmlWriter html, MessageDetail detail, HtmlContent token)
    {
        var m = detail.Message;
        var inExceptions = m.Status is "failed" or "rejected" || detail.Deliveries.Any(d => d.Status == "deadlettered");
        html.Add($"""
            <div class="actions">
            <form class="inline" method="post" action="/messages/{m.Id}/reprocess">{token}<button type="submit" class="primary">Reprocess</button></form>
            """);
        if (detail.Text is not null)
        {
            html.Add($"<a class=\"button\" href=\"/messages/{m.Id}/edit\">Edit and reprocess…</a>");
        }
        if (inExceptions)
        {
            html.Add($"""
                <form class="inline" method="post" action="/messages/{m.Id}/discard">{token}
                <label for="discard-reason" class="visually-hidden">Reason to discard</label>
                <input id="discard-reason" name="reason" required maxlength="500" placeholder="reason to discard">
                <button type="submit" class="danger">Discard</button></form>
                """);
        }
        html.Add($"</div>");
    }

    /// <summary>An attempt's outcome is the state it left the delivery in; "pending" after a try means it failed and will be retried.</summary>
    private static string AttemptOutcome(AttemptView attempt) => attempt.Outcome switch
    {
        "delivered" => "delivered",
        "deadlettered" => "dead-lettered",
        _ => "failed",
    };

    private static void WriteTimeline(HtmlWriter html, MessageDetail detail, StoredMessage stored)
    {
        var start = stored.ReceivedAt;
        var events = new List<(DateTimeOffset At, string What, string Css)> { (start, "received", "") };
        if (stored.ProcessedAt is { } processed)
        {
            events.Add((processed, stored.Status switch
            {
                MessageStatus.Failed => $"failed at step {stored.ErrorStep}",
                MessageStatus.Filtered => $"filtered by step {stored.ErrorStep}",
                MessageStatus.Discarded => "discarded",
                _ => "processed",
            }, stored.Status == MessageStatus.Failed ? "bad" : ""));
        }
        foreach (var d in detail.Deliveries)
        {
            foreach (var a in d.History)
            {
                events.Add((a.At, $"{d.Destination}: attempt {a.Attempt} {AttemptOutcome(a)}{(a.WillRetry ? ", will retry" : "")}", a.Outcome == "delivered" ? "ok" : "bad"));
            }
        }
        html.Add($"<ol class=\"timeline\">");
        foreach (var (at, what, css) in events.OrderBy(e => e.At))
        {
            html.Add($"<li class=\"{css}\"><span class=\"mono\">{Format.Time(at)}</span> <span class=\"muted small\">({Format.Offset(at - start)})</span> — {what}</li>");
        }
        html.Add($"</ol>");
    }
}
