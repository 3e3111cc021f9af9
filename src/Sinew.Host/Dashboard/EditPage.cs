using System.Text;
using Microsoft.AspNetCore.Http;
using Sinew.Core.Journal;

namespace Sinew.Host.Dashboard;

/// <summary>
/// <c>GET /messages/{id}/edit</c>: the message's text in an editor. Submitting sends the edited text as a new message on the
/// same channel (so the original stays as it was received) and discards the original with a reason that names the copy.
/// </summary>
internal static class EditPage
{
    public static async Task<IResult> GetAsync(HttpContext context, long id, IJournal journal, CancellationToken ct)
    {
        var message = await journal.GetMessageAsync(id, withBody: true, ct);
        if (message is null)
        {
            return DashboardPage.Problem(context, StatusCodes.Status404NotFound, "Message not found", $"There is no message {id}.", DashboardPage.Section.Exceptions);
        }
        if (!Security.Access.BodyAccess.CanView(context))
        {
            return DashboardPage.Problem(context, StatusCodes.Status403Forbidden, "Content hidden", $"Editing shows the content of message {id}, which needs the phi:view grant.", DashboardPage.Section.Exceptions);
        }
        await Security.Access.BodyAccess.AuditViewAsync(context, $"message/{id}", ct);
        if (!System.Text.Unicode.Utf8.IsValid(message.Body.Span))
        {
            return DashboardPage.Problem(context, StatusCodes.Status409Conflict, "Not editable", $"Message {id} is binary; only text messages can be edited here.", DashboardPage.Section.Exceptions);
        }
        var html = new HtmlWriter();
        html.Add($"""
            <p class="small"><a href="/messages/{id}">← Message {id}</a></p>
            <h1>Edit and reprocess message {id}</h1>
            <p>The edited text is submitted as a <strong>new message</strong> on channel <strong>{message.Channel}</strong> (content type <code>{message.ContentType}</code>,
            control id <code>{message.ControlId ?? "—"}</code>) and runs through the whole pipeline and every destination.
            Message {id} is kept unchanged, and discarded with the reason “replaced by edited message N”.</p>
            <form method="post" action="/messages/{id}/edit">{DashboardPage.AntiforgeryField(context)}
            <div class="field"><label for="edit-body">Message text</label>
            <textarea id="edit-body" name="body" spellcheck="false" autocomplete="off">{Encoding.UTF8.GetString(message.Body.Span)}</textarea></div>
            <p class="small muted">Line breaks are written back as the original had them ({LineEnding(message.Body.Span).Name}).</p>
            <div class="actions"><button type="submit" class="primary">Submit edited message</button> <a class="button" href="/messages/{id}">Cancel</a></div>
            </form>
            """);
        return DashboardPage.Render(context, $"Edit message {id}", DashboardPage.Section.Exceptions, html);
    }

    /// <summary>The line ending of the original: HL7 v2 segments end in CR, and a browser sends a textarea's lines as CR LF.</summary>
    public static (string Name, string Value) LineEnding(ReadOnlySpan<byte> original) =>
        original.IndexOf("\r\n"u8) >= 0 ? ("CR LF", "\r\n")
        : original.IndexOf((byte)'\r') >= 0 ? ("CR, as HL7 v2 segments", "\r")
        : ("LF", "\n");

    /// <summary>The submitted text with its line breaks put back as the original had them.</summary>
    public static byte[] Normalize(string submitted, ReadOnlySpan<byte> original)
    {
        var unified = submitted.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var text = unified.Replace("\n", LineEnding(original).Value, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }
}
