using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Intake;

/// <summary>The answers about a stored resource: <c>201 Created</c> for a create, <c>200</c> for a read, both with Location and ETag.</summary>
internal static class FhirCreated
{
    /// <summary>Every stored resource is version 1: Sinew journals, it never updates.</summary>
    public const string VersionId = "1";

    public const string ETag = "W/\"1\"";

    /// <summary>Gives <paramref name="resource"/> the id and meta it has as stored message <paramref name="id"/>.</summary>
    public static Resource Stamp(Resource resource, string id, DateTimeOffset lastUpdated)
    {
        resource.Id = id;
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = VersionId;
        resource.Meta.LastUpdated = lastUpdated;
        return resource;
    }

    public static FhirResult Created(HttpRequest request, Resource resource, string id, DateTimeOffset lastUpdated, FhirFormat format, bool replayed)
    {
        var type = resource.TypeName;
        Stamp(resource, id, lastUpdated);
        Resource? body = FhirRequest.PreferredReturn(request) switch
        {
            "minimal" => null,
            "OperationOutcome" => FhirOutcome.From(FhirIssue.Information(replayed
                ? $"{type}/{id} was already created with this Idempotency-Key; nothing new was stored"
                : $"created {type}/{id} (journal message {id})")),
            _ => resource,
        };
        var result = new FhirResult(StatusCodes.Status201Created, body, format)
            .WithHeader("Location", $"{request.PathBase}{FhirRoutes.Base}/{type}/{id}")
            .WithHeader("ETag", ETag)
            .WithHeader("Last-Modified", lastUpdated.ToString("R"));
        return replayed ? result.WithHeader("Idempotent-Replayed", "true") : result;
    }

    /// <summary>A received time as the journal keeps it (milliseconds), so the first answer and a replay agree.</summary>
    public static DateTimeOffset JournalTime(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
