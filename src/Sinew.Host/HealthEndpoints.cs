using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Sinew.Engine.Runtime;
using Sinew.Journal.Sqlite;

namespace Sinew.Host;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (journal open and taking messages, every listener bound).</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithTags("health");
        endpoints.MapGet("/health/ready", (SinewEngine engine, IHostApplicationLifetime lifetime) =>
        {
            var ready = engine.IsReady && lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
            if (ready && engine.Journal is SqliteJournal { IntakeMoveFailure: { } failure })
            {
                // Messages are refused until acknowledged ones can be moved into the inbox table (a full disk, an I/O error).
                return Results.Json(new { status = "not-ready", reason = "the journal cannot move acknowledged messages into its inbox: " + failure.Message },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return ready
                ? Results.Ok(new { status = "ready", channels = engine.Channels.Count })
                : Results.Json(new { status = "not-ready" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithTags("health");
    }
}
