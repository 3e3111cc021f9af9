using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Sinew.Host.Dashboard;

/// <summary>The frame every dashboard page shares: head, navigation, notices, and the response with its security headers.</summary>
internal static class DashboardPage
{
    /// <summary>Which navigation entry is current.</summary>
    public enum Section
    {
        Overview,
        Messages,
        Exceptions,
        Variance,
    }

    // Scripts, styles and forms only from this origin; nothing inline can run, and no other site may frame the pages.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IResult Render(HttpContext context, string title, Section section, HtmlWriter body, int statusCode = StatusCodes.Status200OK)
    {
        var html = new HtmlWriter();
        html.Add($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Sinew</title>
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/assets/dashboard.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="/">Sinew</a>
            <nav aria-label="Dashboard"><ul>
            """);
        NavItem(html, "/", "Overview", section == Section.Overview);
        NavItem(html, "/messages", "Messages", section == Section.Messages);
        NavItem(html, "/exceptions", "Exception queue", section == Section.Exceptions);
        NavItem(html, "/reports/variance", "Inventory variance", section == Section.Variance);
        html.Add($"""
            </ul></nav>
            </header>
            <main id="main" tabindex="-1">
            {body.ToContent()}
            </main>
            </body>
            </html>
            """);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: statusCode);
    }

    private static void NavItem(HtmlWriter html, string href, string label, bool current) =>
        html.Add($"<li><a href=\"{href}\"{(current ? new HtmlContent(" aria-current=\"page\"") : default)}>{label}</a></li>");

    /// <summary>The hidden field that proves a form was served by this dashboard (antiforgery); the cookie half is set on the response.</summary>
    public static HtmlContent AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new HtmlWriter().Add($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">").ToContent();
    }

    /// <summary>A notice at the top of a page, after a form was handled.</summary>
    public static void Notice(HtmlWriter html, string? text, bool error = false)
    {
        if (!string.IsNullOrEmpty(text))
        {
            html.Add($"<p class=\"{(error ? "notice error" : "notice")}\" role=\"{(error ? "alert" : "status")}\">{text}</p>");
        }
    }

    /// <summary>A page that says what went wrong, e.g. an unknown message id.</summary>
    public static IResult Problem(HttpContext context, int statusCode, string title, string detail, Section section)
    {
        var body = new HtmlWriter();
        body.Add($"<h1>{title}</h1>");
        Notice(body, detail, error: true);
        body.Add($"<p><a href=\"/\">Back to the overview</a></p>");
        return Render(context, title, section, body, statusCode);
    }
}
