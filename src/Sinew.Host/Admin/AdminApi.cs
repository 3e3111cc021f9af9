using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Sinew.Host.Admin;

/// <summary>The admin REST API under <c>/api/v1</c>: channels, messages, queues, the exception queue.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("admin");

        api.MapGet("/channels", async (AdminService admin, CancellationToken ct) => TypedResults.Ok(await admin.ListChannelsAsync(ct)))
            .WithSummary("Every channel with its state and message counts");

        api.MapPost("/channels/{name}/pause", (string name, AdminService admin, CancellationToken ct) => SetPaused(name, true, admin, ct))
            .WithSummary("Pause a channel: it keeps accepting, but holds its pipeline and deliveries");
        api.MapPost("/channels/{name}/resume", (string name, AdminService admin, CancellationToken ct) => SetPaused(name, false, admin, ct))
            .WithSummary("Resume a paused channel");

        api.MapGet("/messages", SearchAsync)
            .WithSummary("Search messages, newest first (channel, status, from, to, controlId; limit up to 1000; cursor from the previous page)");

        api.MapGet("/messages/{id:long}", async Task<Results<Ok<MessageDetail>, ProblemHttpResult>> (long id, HttpContext http, AdminService admin, CancellationToken ct) =>
            {
                if (await admin.GetMessageAsync(id, ct) is not { } detail)
                {
                    return NotFound($"no message {id}");
                }
                // Bodies are PHI: shown with phi:view, or to an auditor who gives a reason (X-Sinew-Reason); every view is audited.
                if (!Security.Access.BodyAccess.CanView(http))
                {
                    http.Response.Headers["X-Sinew-Body"] = "masked";
                    return TypedResults.Ok(detail with { Text = null, BodyBase64 = "" });
                }
                await Security.Access.BodyAccess.AuditViewAsync(http, $"message/{id}", ct);
                return TypedResults.Ok(detail);
            })
            .WithSummary("One message with its raw bytes (masked without phi:view, or an auditor's X-Sinew-Reason), steps and delivery attempts");

        api.MapPost("/messages/{id:long}/reprocess", async Task<Results<Ok<ReprocessView>, ProblemHttpResult>> (long id, AdminService admin, CancellationToken ct) =>
            {
                var result = await admin.ReprocessAsync(id, ct);
                return result.Result == "not-found" ? NotFound($"no message {id}") : TypedResults.Ok(result);
            })
            .WithSummary("Put one message back to work: dead-lettered deliveries are retried, otherwise the pipeline runs again");

        api.MapPost("/messages/{id:long}/discard", async Task<Results<NoContent, ProblemHttpResult>> (long id, DiscardRequest request, AdminService admin, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(request.Reason))
                {
                    return BadRequest("a reason is required to discard a message");
                }
                return await admin.DiscardMessageAsync(id, request.Reason, ct) ? TypedResults.NoContent() : NotFound($"message {id} is not in the exception queue");
            })
            .WithSummary("Take a failed or rejected message (and its dead-lettered deliveries) out of the exception queue, with a reason");

        api.MapPost("/messages/reprocess", ReprocessMatchingAsync)
            .WithSummary("Reprocess every message matching a filter (at most 10,000 per call)");

        api.MapGet("/queues", async (AdminService admin, CancellationToken ct) => TypedResults.Ok(await admin.ListQueuesAsync(ct)))
            .WithSummary("Every destination queue with its depth and the age of its oldest entry");

        api.MapGet("/sla", (Sinew.Engine.Sla.SlaMonitor monitor) => TypedResults.Ok(monitor.Current))
            .WithSummary("Every channel's service-level objectives: ok, breached or inactive, with the measured value");

        api.MapGet("/exceptions", async Task<Results<Ok<IReadOnlyList<ExceptionView>>, ProblemHttpResult>> (string? channel, int? limit, AdminService admin, CancellationToken ct) =>
                limit is < 1 or > 1000 ? BadRequest("limit must be from 1 to 1000") : TypedResults.Ok(await admin.ListExceptionsAsync(channel, limit ?? 100, ct)))
            .WithSummary("The exception queue: failed steps and dead-lettered deliveries, newest first");

        api.MapPost("/exceptions/{outboxId:long}/discard", async Task<Results<NoContent, ProblemHttpResult>> (long outboxId, DiscardRequest request, AdminService admin, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(request.Reason))
                {
                    return BadRequest("a reason is required to discard a message");
                }
                return await admin.DiscardAsync(outboxId, request.Reason, ct) ? TypedResults.NoContent() : NotFound($"no dead-lettered delivery {outboxId}");
            })
            .WithSummary("Discard a dead-lettered delivery, with a reason");

        api.MapGet("/reports/inventory-variance", async Task<Results<Ok<VarianceReport>, ProblemHttpResult>> (string? from, string? to, string? channel, AdminService admin, CancellationToken ct) =>
            {
                if (!TryDate(from, out var start) || !TryDate(to, out var end))
                {
                    return BadRequest("from and to are required dates (yyyy-MM-dd)");
                }
                if (end < start || end.DayNumber - start.DayNumber > 366)
                {
                    return BadRequest("to must be on or after from, at most 366 days later");
                }
                return await admin.InventoryVarianceAsync(start, end, channel, ct) is { } report ? TypedResults.Ok(report) : NotFound("no configuration is loaded");
            })
            .WithSummary("Per item and storage location: consumption recorded by Sinew vs consumption booked in the ERP over a period, and the difference");

        api.MapGet("/schemas", () => TypedResults.Ok(Canonical.CanonicalCatalog.All.Select(t => new SchemaView(t.Id, t.Name, t.Version, $"/api/v1/schemas/{t.Name}/{t.Version}")).ToList()))
            .WithSummary("The canonical record types and versions Sinew knows");
        api.MapGet("/schemas/{name}/{version:int}", Results<ContentHttpResult, ProblemHttpResult> (string name, int version) =>
                Canonical.CanonicalCatalog.Find($"{name}/{version}") is { } type
                    ? TypedResults.Content(type.JsonSchema().ToJsonString(SchemaJson), "application/schema+json")
                    : NotFound($"no canonical type {name}/{version}"))
            .WithSummary("The JSON Schema of one canonical type version, with each field's sensitivity class (x-sensitivity)");
        return api;
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date);

    private static readonly System.Text.Json.JsonSerializerOptions SchemaJson = new() { WriteIndented = true };

    private static async Task<Results<Ok<ChannelStateView>, ProblemHttpResult>> SetPaused(string name, bool paused, AdminService admin, CancellationToken ct) =>
        await admin.SetPausedAsync(name, paused, ct) is { } state ? TypedResults.Ok(state) : NotFound($"no channel '{name}'");

    private static async Task<Results<Ok<MessagePageView>, ProblemHttpResult>> SearchAsync(
        string? channel, string? status, string? from, string? to, string? controlId, string? limit, string? cursor, AdminService admin, CancellationToken ct)
    {
        var query = MessageQueryParser.Parse(channel, status, from, to, controlId, limit, cursor, out var error);
        return error is null ? TypedResults.Ok(await admin.SearchAsync(query, ct)) : BadRequest(error);
    }

    private static async Task<Results<Ok<BulkReprocessView>, ProblemHttpResult>> ReprocessMatchingAsync(ReprocessFilter filter, AdminService admin, CancellationToken ct)
    {
        var query = MessageQueryParser.Parse(filter.Channel, filter.Status, filter.From?.ToString("O"), filter.To?.ToString("O"), filter.ControlId, null, null, out var error);
        if (error is not null)
        {
            return BadRequest(error);
        }
        if (filter.Channel is null && filter.Status is null && filter.From is null && filter.To is null && filter.ControlId is null)
        {
            return BadRequest("give at least one filter (channel, status, from, to, controlId); reprocessing everything is refused");
        }
        var max = filter.Limit is { } limit ? Math.Clamp(limit, 1, AdminService.MaxBulkReprocess) : AdminService.MaxBulkReprocess;
        return TypedResults.Ok(await admin.ReprocessMatchingAsync(query, max, ct));
    }

    internal static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
}
