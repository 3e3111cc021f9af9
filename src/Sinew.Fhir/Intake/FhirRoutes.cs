using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir.Intake;

/// <summary>The <c>/fhir</c> endpoints; every answer is FHIR (a resource or an OperationOutcome), never a problem+json.</summary>
internal static class FhirRoutes
{
    /// <summary>The FHIR base path under the host's listener.</summary>
    public const string Base = "/fhir";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Base).WithTags("fhir").AddEndpointFilter(AnswerUnexpectedAsync);
        group.MapGet("/metadata", (HttpContext http, SinewEngine engine) => FhirCapabilities.Answer(http, engine))
            .WithSummary("The CapabilityStatement: FHIR 4.0.1, the resource types taken, create/read and transaction/batch");
        group.MapPost("/{type}", FhirCreate.HandleAsync)
            .WithSummary("Create one resource; 201 with Location after it is durably journaled")
            .DisableAntiforgery();
        group.MapPost("/", FhirBundleIntake.HandleAsync)
            .WithSummary("A transaction Bundle (journaled whole, as one message) or a batch Bundle (each entry its own message)")
            .DisableAntiforgery();
        group.MapGet("/{type}/{id}", FhirRead.HandleAsync)
            .WithSummary("Read a created resource back from the journal");
        group.Map("/{**rest}", (HttpContext http, string? rest) => NotSupported(http, rest))
            .ExcludeFromDescription();
    }

    /// <summary>The 404 answer when no channel takes <paramref name="type"/>; null when one does.</summary>
    public static FhirResult? UnknownType(SinewEngine engine, string type, FhirFormat format)
    {
        if (type == "Bundle")
        {
            return FhirResult.Error(StatusCodes.Status404NotFound, format, OperationOutcome.IssueType.NotSupported,
                $"a Bundle is not created at {Base}/Bundle; POST a transaction or batch Bundle to {Base}");
        }
        if (!FhirResourceTypes.IsKnown(type))
        {
            return FhirResult.Error(StatusCodes.Status404NotFound, format, OperationOutcome.IssueType.NotFound,
                $"'{Truncate(type)}' is not a FHIR R4 resource type (names are case-sensitive, e.g. SupplyDelivery)");
        }
        if (FhirTarget.Find(engine, type) is null)
        {
            return FhirResult.Error(StatusCodes.Status404NotFound, format, OperationOutcome.IssueType.NotSupported,
                $"no channel takes {type}; see GET {Base}/metadata for the resource types this server takes");
        }
        return null;
    }

    public static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;

    private static FhirResult NotSupported(HttpContext http, string? rest)
    {
        var format = FhirMediaType.ForResponse(http.Request);
        var first = (rest ?? "").Split('/')[0];
        var known = first.Length == 0 || first == "metadata" || FhirResourceTypes.IsKnown(first);
        return FhirResult.Error(known ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound, format,
            known ? OperationOutcome.IssueType.NotSupported : OperationOutcome.IssueType.NotFound,
            $"{http.Request.Method} {Base}/{Truncate(rest ?? "")} is not supported here; this server takes create (POST {Base}/{{type}}), read (GET {Base}/{{type}}/{{id}}), transaction and batch (POST {Base}) and GET {Base}/metadata");
    }

    private static async ValueTask<object?> AnswerUnexpectedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var http = context.HttpContext;
            (http.RequestServices.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger(typeof(FhirRoutes))
                .LogError("FHIR {Method} {Path} failed: {Error}", http.Request.Method, http.Request.Path.Value, ex.GetType().Name + ": " + ex.Message);
            return FhirResult.Error(StatusCodes.Status500InternalServerError, FhirMediaType.ForResponse(http.Request), OperationOutcome.IssueType.Exception,
                "the request failed inside Sinew and was not accepted; see the server log");
        }
    }
}
