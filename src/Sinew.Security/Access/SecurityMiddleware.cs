using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sinew.Core.Audit;
using Sinew.Engine.Runtime;
using Sinew.Fhir;
using Sinew.Security.Throttling;

namespace Sinew.Security.Access;

/// <summary>
/// Runs before every endpoint: who is calling (<see cref="Authenticator"/>), may they call this endpoint
/// (<see cref="AccessPolicy"/>), are they within their rate (<see cref="Throttle"/>); afterwards, writes the audit record of
/// actions (reprocess, discard, pause…). Refusals are problem responses (FHIR endpoints: OperationOutcome).
/// </summary>
internal sealed class SecurityMiddleware(RequestDelegate next, SecurityOptions options, IServiceProvider services, Throttle throttle, IAuditLog audit, SinewEngine engine, ILogger<SecurityMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is null)
        {
            await next(http);
            return;
        }
        var (rule, _) = AccessPolicy.Find(http.Request.Method, (endpoint as RouteEndpoint)?.RoutePattern.RawText);
        var principal = SinewPrincipal.OpenLoopback;
        string? failure = null;
        if (options.Enforced)
        {
            // Resolved only with security on, so an open loopback Sinew creates no key files.
            (principal, failure) = await services.GetRequiredService<Authenticator>().AuthenticateAsync(http, http.RequestAborted);
        }
        http.Features.Set(principal);
        var channel = ChannelOf(http, rule);

        if (options.Enforced && rule.Kind != AccessKind.Public)
        {
            var anonymousAllowed = rule.Kind == AccessKind.ChannelSend && channel is not null && options.AnonymousChannels.Contains(channel, StringComparer.OrdinalIgnoreCase);
            if (!principal.IsAuthenticated && !anonymousAllowed)
            {
                if (failure is not null)
                {
                    logger.LogInformation("Refused {Method} {Route} from {Remote}: {Reason}", http.Request.Method, RouteText(endpoint), http.Connection.RemoteIpAddress, failure);
                    await audit.WriteAsync(new AuditRecord { Action = "auth.login-failed", Actor = "unknown", Outcome = "denied", Reason = failure, Target = RouteText(endpoint), Source = Remote(http) }, http.RequestAborted);
                }
                // RFC 6750's invalid_token is for a bearer token that was refused; an API key or a certificate that was
                // refused gets the plain challenge, and says why in the problem body.
                var badToken = failure is not null && Authenticator.IsBearer(http.Request.Headers.Authorization.ToString());
                http.Response.Headers.WWWAuthenticate = badToken ? $"Bearer error=\"invalid_token\", error_description=\"{failure!.Replace('"', '\'')}\"" : "Bearer";
                await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized",
                    failure ?? "this endpoint needs a bearer token (OIDC for people, /auth/token for systems) or an API key (Authorization: ApiKey …)");
                return;
            }
            if (!anonymousAllowed && !Allows(principal, rule, http, channel))
            {
                await audit.WriteAsync(new AuditRecord { Action = "auth.denied", Actor = principal.Actor, Role = principal.RoleText, Outcome = "denied", Target = RouteText(endpoint), Reason = "needs " + Need(rule, http, channel), Source = Remote(http) }, http.RequestAborted);
                await RefuseAsync(http, StatusCodes.Status403Forbidden, "Forbidden", $"'{principal.Actor}' may not {http.Request.Method} {http.Request.Path}: this needs {Need(rule, http, channel)}");
                return;
            }
            if (rule.Kind == AccessKind.FhirBundleWrite)
            {
                // The Bundle's entry types are known only once it is parsed: the intake checks each against this grant.
                http.Features.Set<IFhirWriteGrant>(new ScopeFhirWriteGrant(principal, audit, RouteText(endpoint), Remote(http)));
            }
        }

        if (throttle.IsActive && rule.Kind != AccessKind.Public)
        {
            var client = principal.IsAuthenticated && !principal.IsOpen ? principal.Actor : "ip:" + http.Connection.RemoteIpAddress;
            if (throttle.TryTake(client, channel, "http") is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await RefuseAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests", $"rate limit reached{(channel is null ? "" : $" for channel '{channel}'")}; retry after the Retry-After header's seconds");
                return;
            }
        }

        await next(http);

        if (rule.Action is { } action && http.Response.StatusCode < 400)
        {
            var target = rule.Kind == AccessKind.FhirRead
                ? $"{http.Request.RouteValues["type"]}/{http.Request.RouteValues["id"]}"
                : rule.TargetRouteValue is { } key && http.Request.RouteValues.TryGetValue(key, out var value) ? $"{TargetKind(key)}/{value}" : null;
            await audit.WriteAsync(new AuditRecord { Action = action, Actor = principal.Actor, Role = principal.RoleText, Target = target, Source = Remote(http) }, CancellationToken.None);
        }
    }

    private bool Allows(SinewPrincipal principal, AccessRule rule, HttpContext http, string? channel)
    {
        switch (rule.Kind)
        {
            case AccessKind.Public:
            case AccessKind.Authenticated:
                return true;
            case AccessKind.RoleOrScope:
                return rule.Roles.Any(principal.HasRole) || rule.Scopes.Any(principal.HasScope);
            case AccessKind.ChannelSend:
                return channel is not null && principal.HasScope($"channel:{channel}:send");
            case AccessKind.FhirWrite:
                return principal.HasFhirScope(http.Request.RouteValues["type"] as string, "write");
            case AccessKind.FhirRead:
                return principal.HasFhirScope(http.Request.RouteValues["type"] as string, "read");
            case AccessKind.FhirBundleWrite:
                // A write scope for at least one type a channel takes lets the Bundle in; each entry is then authorized by its type.
                return principal.HasScope("fhir:*.write") || FhirTypes().Any(t => principal.HasFhirScope(t, "write"));
            default:
                return false;
        }
    }

    private List<string> FhirTypes() => engine.Channels.Select(c => c.Config.Source).OfType<FhirSource>().SelectMany(s => s.Resources).Distinct(StringComparer.Ordinal).ToList();

    private string Need(AccessRule rule, HttpContext http, string? channel) => rule.Kind switch
    {
        AccessKind.ChannelSend => $"scope channel:{channel}:send",
        AccessKind.FhirWrite => $"scope fhir:{http.Request.RouteValues["type"]}.write",
        AccessKind.FhirRead => $"scope fhir:{http.Request.RouteValues["type"]}.read",
        AccessKind.FhirBundleWrite => "scope fhir:*.write or one of " + string.Join(", ", FhirTypes().Select(t => $"fhir:{t}.write")) + " (each entry needs the scope of its type)",
        _ => rule.Describe(),
    };

    /// <summary>The channel a request feeds, for per-channel scopes and limits.</summary>
    private string? ChannelOf(HttpContext http, AccessRule rule) => rule.Kind switch
    {
        AccessKind.ChannelSend => engine.FindChannel(http.Request.RouteValues["channel"]?.ToString() ?? "")?.Name ?? http.Request.RouteValues["channel"]?.ToString(),
        AccessKind.FhirWrite => engine.Channels.FirstOrDefault(c => c.Config.Source is FhirSource f && f.Takes(http.Request.RouteValues["type"]?.ToString() ?? ""))?.Name,
        AccessKind.FhirBundleWrite => engine.Channels.FirstOrDefault(c => c.Config.Source is FhirSource)?.Name,
        _ => null,
    };

    private static string TargetKind(string routeValue) => routeValue switch
    {
        "name" => "channel",
        "outboxId" => "delivery",
        "id" => "message",
        _ => routeValue,
    };

    private static string RouteText(Endpoint endpoint) => (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "?";

    private static string? Remote(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static async Task RefuseAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        if (http.Request.Path.StartsWithSegments("/fhir"))
        {
            http.Response.ContentType = "application/fhir+json";
            var code = status switch { 401 => "login", 403 => "forbidden", _ => "throttled" };
            await http.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                resourceType = "OperationOutcome",
                issue = new[] { new { severity = "error", code, diagnostics = detail } },
            }), http.RequestAborted);
            return;
        }
        await Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(http);
    }
}
