using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sinew.Core.Audit;
using Sinew.Security.Access;

namespace Sinew.Security.ApiKeys;

/// <summary><c>/api/v1/apikeys</c>: admins create (the secret is in that one answer only), list and revoke API keys.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>What an admin sends to create a key.</summary>
    public sealed record CreateRequest(string? Name, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? Roles);

    /// <summary>The created key: <paramref name="Key"/> is the secret, shown this once.</summary>
    public sealed record CreatedView(string Id, string Name, string Key, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles);

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/apikeys").WithTags("security");
        group.MapGet("", (SecurityStore store) => TypedResults.Ok(store.ListKeys()))
            .WithSummary("Every API key: id, name, scopes, roles, created, revoked (never the secret)");
        group.MapPost("", async Task<Results<Created<CreatedView>, ProblemHttpResult>> (CreateRequest request, HttpContext http, SecurityStore store, IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
            {
                if (Problem(request.Name, request.Scopes ?? [], request.Roles ?? []) is { } problem)
                {
                    return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
                }
                var created = store.CreateKey(request.Name!, request.Scopes ?? [], request.Roles ?? [], clock.GetUtcNow());
                await AuditAsync(http, audit, "apikey.create", created.Key.Id, ct);
                return TypedResults.Created($"/api/v1/apikeys/{created.Key.Id}", new CreatedView(created.Key.Id, created.Key.Name, created.Secret, created.Key.Scopes, created.Key.Roles));
            })
            .WithSummary("Create an API key; the answer holds the key, which is never shown again")
            .DisableAntiforgery();
        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext http, SecurityStore store, IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
            {
                if (!store.RevokeKey(id, clock.GetUtcNow()))
                {
                    return TypedResults.Problem($"no active API key '{(id.Length > 40 ? id[..40] : id)}'", statusCode: StatusCodes.Status404NotFound, title: "Not found");
                }
                await AuditAsync(http, audit, "apikey.revoke", id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke an API key at once");
    }

    /// <summary>Null when a key with these grants may be created; otherwise what is wrong.</summary>
    public static string? Problem(string? name, IReadOnlyList<string> scopes, IReadOnlyList<string> roles)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return "a name of 1 to 100 characters is required";
        }
        if (scopes.Count == 0 && roles.Count == 0)
        {
            return "give at least one scope (e.g. channel:adt:send) or role";
        }
        return scopes.Select(Grants.ScopeProblem).Concat(roles.Select(Grants.RoleProblem)).OfType<string>().FirstOrDefault();
    }

    private static ValueTask AuditAsync(HttpContext http, IAuditLog audit, string action, string id, CancellationToken ct)
    {
        var principal = BodyAccess.Principal(http);
        return audit.WriteAsync(new AuditRecord { Action = action, Actor = principal.Actor, Role = principal.RoleText, Target = $"apikey/{id}", Source = http.Connection.RemoteIpAddress?.ToString() }, ct);
    }
}
