using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Sinew.Audit.Fhir;
using Sinew.Audit.Log;
using Sinew.Audit.Policy;
using Sinew.Audit.Syslog;
using Sinew.Canonical;
using Sinew.Core.Audit;

namespace Sinew.Audit;

/// <summary>
/// The audit log as FHIR (<c>GET /fhir/AuditEvent</c>, a searchset Bundle by <c>date=ge…</c>, <c>_count</c> and a
/// <c>_cursor</c> for the next page) and token re-identification (<c>POST /api/v1/tokens/resolve</c>, with a reason that is
/// itself audited), and the syslog stream's status (<c>GET /api/v1/audit/stream</c>). All are for the auditor role; the security module enforces roles on every endpoint.
/// </summary>
public static class AuditEndpoints
{
    public const string FhirJson = "application/fhir+json";

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/fhir/AuditEvent", SearchAsync).WithTags("audit").WithName("AuditEventSearch")
            .WithSummary("The audit log as FHIR AuditEvent (IHE BALP style): date=ge|gt|le|lt…, _count (1-1000, default 100), _cursor from the next link");
        endpoints.MapPost("/api/v1/tokens/resolve", ResolveAsync).WithTags("audit").WithName("TokenResolve")
            .WithSummary("Re-identify a vault token (auditor only; the reason is required and audited), or check a candidate value against a keyed token");
        endpoints.MapGet("/api/v1/audit/stream", (HttpContext http) => http.RequestServices.GetService(typeof(SyslogStream)) is SyslogStream stream
                ? Results.Ok(new { enabled = true, status = stream.Status })
                : Results.Ok(new { enabled = false, status = (SyslogStreamStatus?)null }))
            .WithTags("audit").WithName("AuditStreamStatus")
            .WithSummary("The syslog stream of the audit log: server, connected, last record streamed, head, lag (records not yet streamed), last problem");
        return endpoints;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, SqliteAuditLog log, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var count = 100;
        if (query["_count"].FirstOrDefault() is { } countText && (!int.TryParse(countText, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
        {
            return Problem("_count must be a number from 1 to 1000");
        }
        long cursor = 0;
        if (query["_cursor"].FirstOrDefault() is { } cursorText && (!long.TryParse(cursorText, CultureInfo.InvariantCulture, out cursor) || cursor < 0))
        {
            return Problem("_cursor must be the value from the previous page's next link");
        }
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        foreach (var date in query["date"])
        {
            if (date is null || date.Length < 3 || !DateTimeOffset.TryParse(date[2..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                return Problem($"date '{date}' must be a prefix (ge, gt, le, lt) and a date or time, e.g. date=ge2026-01-01");
            }
            switch (date[..2])
            {
                case "ge": from = when; break;
                case "gt": from = when.AddMilliseconds(1); break;
                case "le": to = when; break;
                case "lt": to = when.AddMilliseconds(-1); break;
                default: return Problem($"date '{date}' must start with ge, gt, le or lt");
            }
        }
        var entries = await log.ReadAsync(cursor, from, count + 1, cancellationToken);
        var page = entries.Where(e => to is null || e.Record.At <= to).Take(count).ToList();
        Uri? next = null;
        if (entries.Count > count && page.Count == count)
        {
            var builder = new QueryBuilder(query.Where(q => q.Key != "_cursor").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))))
            {
                { "_cursor", page[^1].Sequence.ToString(CultureInfo.InvariantCulture) },
            };
            next = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}{builder.ToQueryString()}");
        }
        var bundle = AuditBundle.SearchSet(page, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/fhir", next);
        return Results.Bytes(AuditBundle.Json(bundle), FhirJson);
    }

    private static IResult Problem(string message) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid search", detail: message);

    /// <summary>The body of <c>POST /api/v1/tokens/resolve</c>.</summary>
    public sealed record ResolveRequest(string? Token, string? Reason, string? Candidate);

    private static async Task<IResult> ResolveAsync(ResolveRequest request, HttpContext http, DataProtection protection, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Results.Problem(statusCode: 400, title: "reason required", detail: "a reason is required to re-identify a token; it is written to the audit log");
        }
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Results.Problem(statusCode: 400, title: "token required", detail: "give the token to resolve");
        }
        var record = new AuditRecord
        {
            Action = "token.resolve",
            Actor = http.User.Identity?.Name ?? "anonymous",
            Role = string.Join(",", http.User.Claims.Where(c => c.Type is "role" or System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)) is { Length: > 0 } roles ? roles : null,
            Target = "token/" + request.Token,
            Reason = request.Reason,
            Source = http.Connection.RemoteIpAddress?.ToString(),
        };
        if (request.Token.StartsWith(TokenVault.Prefix, StringComparison.Ordinal))
        {
            var value = protection.Vault?.Resolve(request.Token);
            await audit.WriteAsync(record with { Outcome = value is null ? "failure" : "success" }, cancellationToken);
            return value is null
                ? Results.Problem(statusCode: 404, title: "unknown token", detail: "the vault does not hold this token (or tokenization.vault is off)")
                : Results.Ok(new { token = request.Token, value });
        }
        if (HmacTokenizer.VersionOf(request.Token) is not null && protection.Tokenization is { } tokenization)
        {
            if (request.Candidate is null)
            {
                await audit.WriteAsync(record with { Outcome = "failure" }, cancellationToken);
                return Results.Problem(statusCode: 422, title: "keyed token", detail: "a keyed (HMAC) token is one-way: give a candidate value to check it against the token");
            }
            var matches = tokenization.Tokenizer.Matches(request.Token, request.Candidate);
            await audit.WriteAsync(record, cancellationToken);
            return Results.Ok(new { token = request.Token, matches });
        }
        await audit.WriteAsync(record with { Outcome = "failure" }, cancellationToken);
        return Results.Problem(statusCode: 404, title: "unknown token", detail: "not a token Sinew made with its configured keys");
    }
}
