using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Runtime;
using Sinew.Host.Admin;

namespace Sinew.Host.Dashboard;

/// <summary>
/// The dashboard's forms: pause and resume, reprocess, discard, edit and reprocess. Each checks the antiforgery token
/// first, acts through <see cref="AdminService"/> or the engine's intake, and redirects back (post/redirect/get).
/// </summary>
internal static partial class DashboardActions
{
    public const int MaxReasonLength = 500;

    public static async Task<IResult> SetPausedAsync(HttpContext context, string name, bool paused, AdminService admin, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var state = await admin.SetPausedAsync(name, paused, ct);
        var channel = Uri.EscapeDataString(state?.Name ?? name);
        return Results.Redirect(state is null ? $"/?notice=unknown-channel&channel={channel}" : $"/?notice={(paused ? "paused" : "resumed")}&channel={channel}");
    }

    public static async Task<IResult> ReprocessAsync(HttpContext context, long id, AdminService admin, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var result = await admin.ReprocessAsync(id, ct);
        return result.Result switch
        {
            "not-found" => DashboardPage.Problem(context, StatusCodes.Status404NotFound, "Message not found", $"There is no message {id}.", DashboardPage.Section.Messages),
            "deliveries-requeued" or "pipeline-requeued" => Results.Redirect($"/messages/{id}?notice=reprocessed"),
            _ => Results.Redirect($"/messages/{id}?notice=not-reprocessed"),
        };
    }

    public static async Task<IResult> DiscardAsync(HttpContext context, long id, AdminService admin, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var form = await context.Request.ReadFormAsync(ct);
        if (Reason(form) is not { } reason)
        {
            return Results.Redirect($"/messages/{id}?notice=reason-required");
        }
        return Results.Redirect($"/messages/{id}?notice={(await admin.DiscardMessageAsync(id, reason, ct) ? "discarded" : "not-discarded")}");
    }

    public static async Task<IResult> ReprocessSelectedAsync(HttpContext context, AdminService admin, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var form = await context.Request.ReadFormAsync(ct);
        var items = Items(form);
        if (items.Count == 0)
        {
            return Results.Redirect(Back(form, "nothing-selected"));
        }
        var requeued = 0;
        foreach (var messageId in items.Select(i => i.MessageId).Distinct())
        {
            var result = await admin.ReprocessAsync(messageId, ct);
            requeued += result.Result is "deliveries-requeued" or "pipeline-requeued" ? 1 : 0;
        }
        return Results.Redirect(Back(form, "reprocessed", requeued));
    }

    public static async Task<IResult> DiscardSelectedAsync(HttpContext context, AdminService admin, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var form = await context.Request.ReadFormAsync(ct);
        var items = Items(form);
        if (items.Count == 0)
        {
            return Results.Redirect(Back(form, "nothing-selected"));
        }
        if (Reason(form) is not { } reason)
        {
            return Results.Redirect(Back(form, "reason-required"));
        }
        var discarded = 0;
        foreach (var (messageId, outboxId) in items)
        {
            var done = outboxId is { } outbox ? await admin.DiscardAsync(outbox, reason, ct) : await admin.DiscardMessageAsync(messageId, reason, ct);
            discarded += done ? 1 : 0;
        }
        return Results.Redirect(Back(form, "discarded", discarded));
    }

    /// <summary>Submits the edited text as a new message through the engine's intake, then discards the original naming the copy.</summary>
    public static async Task<IResult> SubmitEditedAsync(HttpContext context, long id, IJournal journal, SinewEngine engine, AdminService admin, ILogger<DashboardPageLog> logger, CancellationToken ct)
    {
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var original = await journal.GetMessageAsync(id, withBody: true, ct);
        if (original is null)
        {
            return DashboardPage.Problem(context, StatusCodes.Status404NotFound, "Message not found", $"There is no message {id}.", DashboardPage.Section.Exceptions);
        }
        var form = await context.Request.ReadFormAsync(ct);
        var body = EditPage.Normalize(form["body"].ToString(), original.Body.Span);
        if (body.Length == 0)
        {
            return DashboardPage.Problem(context, StatusCodes.Status400BadRequest, "Empty message", "The edited message is empty; nothing was submitted.", DashboardPage.Section.Exceptions);
        }
        if (engine.FindChannel(original.Channel) is null)
        {
            return DashboardPage.Problem(context, StatusCodes.Status409Conflict, "Channel not running", $"Channel {original.Channel} is not configured in this process; the edited message cannot be submitted.", DashboardPage.Section.Exceptions);
        }
        var appended = await engine.SubmitAsync(
            new InboundMessage(original.Channel, $"edited from message {id}", original.ContentType, body) { ControlId = original.ControlId }, ct);
        var discarded = await admin.DiscardMessageAsync(id, $"replaced by edited message {appended.MessageId}", ct);
        LogEdited(logger, id, appended.MessageId, original.Channel, discarded);
        // A message outside the exception queue (e.g. processed, resent with a fix) stays as it is beside its copy.
        return Results.Redirect($"/messages/{appended.MessageId}?notice={(discarded ? "replaced" : "copied")}&from={id}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: message {Original} on {Channel} edited and submitted as message {Replacement}; original discarded: {Discarded}")]
    private static partial void LogEdited(ILogger logger, long original, long replacement, string channel, bool discarded);

    /// <summary>A 400 page when the form did not come from this dashboard (missing or wrong antiforgery token); null when it did.</summary>
    private static async Task<IResult?> RefuseAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetService(typeof(IAntiforgery)) as IAntiforgery
            ?? throw new InvalidOperationException("AddDashboard registers antiforgery");
        if (!context.Request.HasFormContentType)
        {
            return DashboardPage.Problem(context, StatusCodes.Status415UnsupportedMediaType, "Not a form", "The dashboard's actions accept its own forms only.", DashboardPage.Section.Overview);
        }
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return DashboardPage.Problem(context, StatusCodes.Status400BadRequest, "Form expired", "The form was not served by this dashboard or has expired (for example after a restart). Reload the page and try again.", DashboardPage.Section.Overview);
        }
    }

    private static string? Reason(IFormCollection form)
    {
        var reason = form["reason"].ToString().Trim();
        return reason.Length == 0 ? null : reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
    }

    /// <summary>The checked items of an exception group: <c>messageId:outboxId</c>, the outbox id empty for a failed step.</summary>
    private static List<(long MessageId, long? OutboxId)> Items(IFormCollection form)
    {
        var list = new List<(long, long?)>();
        foreach (var value in form["item"])
        {
            var parts = (value ?? "").Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
            {
                list.Add((messageId, long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outboxId) ? outboxId : null));
            }
        }
        return list;
    }

    private static string Back(IFormCollection form, string notice, int? count = null)
    {
        var url = $"/exceptions?notice={notice}";
        if (count is { } n)
        {
            url += "&count=" + n.ToString(CultureInfo.InvariantCulture);
        }
        if (form["channel"].ToString() is { Length: > 0 } channel)
        {
            url += "&channel=" + Uri.EscapeDataString(channel);
        }
        return url;
    }
}
