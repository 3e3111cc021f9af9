using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Intake;

/// <summary>
/// <c>POST /fhir/{type}</c>: one resource, journaled as its raw bytes; <c>201 Created</c> only after the commit.
/// Input that does not parse or validate is kept as a rejected message and answered 400 with an OperationOutcome.
/// </summary>
internal static class FhirCreate
{
    public static async Task<IResult> HandleAsync(string type, HttpContext http, SinewEngine engine, ILoggerFactory loggers, CancellationToken ct)
    {
        var request = http.Request;
        var format = FhirMediaType.ForResponse(request);
        if (FhirRoutes.UnknownType(engine, type, format) is { } unknown)
        {
            return unknown;
        }
        var target = FhirTarget.Find(engine, type)!;
        var (refusal, key, bodyFormat, body) = await FhirRequest.ReadAsync(request, engine, format, target, $"the request has no body; send one {type} resource", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var parsed = FhirParser.Parse(body, bodyFormat, target.Source.MaxDepth);
        var issues = parsed.Issues.ToList();
        var resource = parsed.Resource;
        if (parsed.IsValid && resource is not null)
        {
            if (resource.TypeName != type)
            {
                issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Invalid, $"the body is a {resource.TypeName}, but {FhirRoutes.Base}/{type} takes {type}", "resourceType"));
            }
            else
            {
                issues.AddRange(FhirValidator.Validate(resource));
            }
        }
        else if (resource is null && issues.Count == 0)
        {
            issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Structure, "the body holds no FHIR resource"));
        }

        var message = new InboundMessage(target.Channel, FhirRequest.Origin(request), request.ContentType!, body)
        {
            ControlId = key.Length > 0 ? key : null,
            PartitionKey = PartitionKey(target, request),
            TraceParent = FhirRequest.TraceParent(request),
            ReceivedAt = FhirCreated.JournalTime(DateTimeOffset.UtcNow),
        };
        var logger = loggers.CreateLogger(typeof(FhirCreate));
        if (issues.Any(i => i.IsError) || resource is null)
        {
            return await RejectAsync(engine, message, issues, format, logger, ct);
        }

        AppendResult result;
        try
        {
            result = await engine.SubmitAsync(message with { DedupeKey = key.Length > 0 ? "idem:" + key : null }, ct);
        }
        catch (JournalUnavailableException ex)
        {
            logger.LogError("Channel {Channel} could not journal a FHIR {Type}: {Error}", target.Channel, type, ex.Message);
            return FhirResult.Unavailable(format, "the resource could not be stored durably and was not accepted; retry later");
        }
        var id = result.MessageId.ToString();
        if (!result.IsDuplicate)
        {
            return FhirCreated.Created(request, resource, id, message.ReceivedAt, format, replayed: false);
        }
        // A repeat answers with what the first request created, not with this body.
        var first = await engine.Journal.GetMessageAsync(result.MessageId, withBody: true, ct);
        var firstResource = first is not null && FhirMediaType.ForStored(first.ContentType) is { } storedFormat
            && FhirParser.Parse(first.Body, storedFormat, target.Source.MaxDepth) is { IsValid: true, Resource: { } stored } && stored.TypeName == type
            ? stored
            : resource;
        return FhirCreated.Created(request, firstResource, id, first?.ReceivedAt ?? message.ReceivedAt, format, replayed: true);
    }

    private static async Task<IResult> RejectAsync(SinewEngine engine, InboundMessage message, List<FhirIssue> issues, FhirFormat format, ILogger logger, CancellationToken ct)
    {
        // No dedupe key: a corrected resource sent again with the same Idempotency-Key must be taken, not replayed.
        var rejected = message with { Status = MessageStatus.Rejected, Error = "FHIR: " + FhirOutcome.Summary(issues) };
        try
        {
            var result = await engine.SubmitAsync(rejected, ct);
            logger.LogInformation("Channel {Channel} rejected a FHIR resource; kept as message {MessageId}", message.Channel, result.MessageId);
            issues.Add(FhirIssue.Information($"the request was kept as message {result.MessageId} for inspection (GET /api/v1/messages/{result.MessageId}); nothing was accepted"));
        }
        catch (JournalUnavailableException ex)
        {
            logger.LogError("Channel {Channel} could not keep a rejected FHIR resource: {Error}", message.Channel, ex.Message);
            issues.Add(FhirIssue.Information("the request could not be kept for inspection (the journal is unavailable); nothing was accepted"));
        }
        return FhirResult.Error(StatusCodes.Status400BadRequest, format, issues);
    }

    internal static FhirResult TooLarge(FhirFormat format, FhirTarget target, long? length) =>
        FhirResult.Error(StatusCodes.Status413PayloadTooLarge, format, OperationOutcome.IssueType.TooCostly,
            length is { } size
                ? $"the body is {size} bytes; channel '{target.Channel}' accepts at most {target.MaxBodyBytes}"
                : $"the body is larger than channel '{target.Channel}' accepts ({target.MaxBodyBytes} bytes)");

    internal static string? PartitionKey(FhirTarget target, HttpRequest request)
    {
        var expression = target.Runtime.Config.PartitionKey;
        if (expression.Source != PartitionKeySource.Header)
        {
            return null;
        }
        var value = request.Headers[expression.Argument].ToString();
        return value.Length == 0 ? null : value;
    }
}
