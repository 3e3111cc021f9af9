using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sinew.Core.Audit;

namespace Sinew.Security.Access;

/// <summary>
/// Whether the caller may see a message body, for the admin API and the dashboard: with scope (or role claim)
/// <c>phi:view</c>, or as an auditor who gives a reason (<c>X-Sinew-Reason</c> header or <c>reason</c> query value).
/// Every body shown is audited; a reason given is audited with it.
/// </summary>
public static class BodyAccess
{
    /// <summary>The header an auditor sends the reason to see PHI in.</summary>
    public const string ReasonHeader = "X-Sinew-Reason";

    /// <summary>The longest reason kept.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The caller of <paramref name="http"/> as the security module saw it (open when the module did not run).</summary>
    public static SinewPrincipal Principal(HttpContext http) => http.Features.Get<SinewPrincipal>() ?? SinewPrincipal.OpenLoopback;

    /// <summary>The reason given for this request, if any.</summary>
    public static string? Reason(HttpContext http)
    {
        var text = http.Request.Headers[ReasonHeader].ToString();
        if (text.Length == 0)
        {
            text = http.Request.Query["reason"].ToString();
        }
        text = text.Trim();
        return text.Length == 0 ? null : text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
    }

    /// <summary>True when the caller may see bodies: <c>phi:view</c>, or an auditor with a reason, or open loopback mode.</summary>
    public static bool CanView(HttpContext http)
    {
        var principal = Principal(http);
        return principal.IsOpen || principal.HasScope(SinewPrincipal.PhiView) || (principal.HasRole(SinewPrincipal.Auditor) && Reason(http) is not null);
    }

    /// <summary>Whether the caller is an auditor who could see the body by giving a reason.</summary>
    public static bool CouldViewWithReason(HttpContext http) => Principal(http).HasRole(SinewPrincipal.Auditor);

    /// <summary>Writes the audit record of a body shown (<c>message.view-body</c>, or <c>phi.view</c> with the reason).</summary>
    public static ValueTask AuditViewAsync(HttpContext http, string target, CancellationToken cancellationToken)
    {
        var principal = Principal(http);
        var reason = Reason(http);
        var log = http.RequestServices.GetService<IAuditLog>() ?? NoAuditLog.Instance;
        return log.WriteAsync(new AuditRecord
        {
            Action = reason is null ? "message.view-body" : "phi.view",
            Actor = principal.Actor,
            Role = principal.RoleText,
            Target = target,
            Reason = reason,
            Source = http.Connection.RemoteIpAddress?.ToString(),
        }, cancellationToken);
    }
}
