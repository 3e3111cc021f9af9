using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Intake;

/// <summary>
/// <c>POST /fhir</c> with a Bundle. A <b>transaction</b> is checked entry by entry and journaled whole, as one
/// message, only when every entry is valid (all or nothing by construction). A <b>batch</b> journals each valid entry
/// as its own message (the entry's resource written back as FHIR JSON) and refuses the others in their response.
/// </summary>
internal static class FhirBundleIntake
{
    public static async Task<IResult> HandleAsync(HttpContext http, SinewEngine engine, ILoggerFactory loggers, CancellationToken ct)
    {
        var request = http.Request;
        var format = FhirMediaType.ForResponse(request);
        var targets = FhirTarget.All(engine);
        if (targets.Count == 0)
        {
            return FhirResult.Error(StatusCodes.Status404NotFound, format, OperationOutcome.IssueType.NotSupported, "no channel takes FHIR resources (no channel has source type fhir)");
        }
        // The channel is known only after parsing: the most generous FHIR channel bounds the read, its own limit the store.
        var largest = targets.MaxBy(t => t.MaxBodyBytes)!;
        var (refusal, key, bodyFormat, body) = await FhirRequest.ReadAsync(request, engine, format, largest, "the request has no body; send a transaction or batch Bundle", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var parsed = FhirParser.Parse(body, bodyFormat, targets.Max(t => t.Source.MaxDepth));
        if (parsed.Resource is not Bundle bundle)
        {
            var notBundle = parsed.Resource is { } other
                ? [FhirIssue.Error(OperationOutcome.IssueType.Invalid, $"{FhirRoutes.Base} takes a Bundle of type transaction or batch, not a {other.TypeName}; POST one resource to {FhirRoutes.Base}/{other.TypeName}", "resourceType")]
                : Array.Empty<FhirIssue>();
            return FhirResult.Error(StatusCodes.Status400BadRequest, format, notBundle.Concat(parsed.Issues));
        }
        if (http.Features.Get<IFhirWriteGrant>() is { } grant && await RefuseUngrantedAsync(grant, bundle, format, ct) is { } forbidden)
        {
            return forbidden;
        }
        var kind = bundle.Type switch
        {
            Bundle.BundleType.Transaction => "transaction",
            Bundle.BundleType.Batch => "batch",
            _ => null,
        };
        var bundleIssues = parsed.Issues.Where(i => FhirBundleEntry.EntryIndex(i.Expression) is null).ToList();
        if (kind is null)
        {
            bundleIssues.Add(FhirIssue.Error(OperationOutcome.IssueType.NotSupported, $"Bundle.type must be transaction or batch (was {bundle.Type?.ToString() ?? "missing"})", "Bundle.type"));
        }
        if (bundle.Entry.Count == 0)
        {
            bundleIssues.Add(FhirIssue.Error(OperationOutcome.IssueType.Required, "the Bundle has no entries", "Bundle.entry"));
        }
        if (bundleIssues.Any(i => i.IsError))
        {
            return FhirResult.Error(StatusCodes.Status400BadRequest, format, bundleIssues.Concat(parsed.Issues.Except(bundleIssues)));
        }
        var entries = new List<FhirBundleEntry>(bundle.Entry.Count);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var index = i;
            entries.Add(FhirBundleEntry.Check(engine, bundle.Entry[i], i, kind!, parsed.Issues.Where(issue => FhirBundleEntry.EntryIndex(issue.Expression) == index).ToList()));
        }
        var logger = loggers.CreateLogger(typeof(FhirBundleIntake));
        return kind == "transaction"
            ? await TransactionAsync(http, engine, body, entries, key, format, logger, ct)
            : await BatchAsync(http, engine, entries, key, format, logger, ct);
    }

    /// <summary>
    /// A 403 naming every entry whose resource type the caller may not write, or null when it may write them all: the whole
    /// Bundle is refused, transaction or batch, so a client never gets part of a Bundle in through a scope it lacks.
    /// </summary>
    private static async Task<IResult?> RefuseUngrantedAsync(IFhirWriteGrant grant, Bundle bundle, FhirFormat format, CancellationToken ct)
    {
        var issues = new List<FhirIssue>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource?.TypeName is { } type && !grant.MayWrite(type))
            {
                issues.Add(FhirIssue.Error(OperationOutcome.IssueType.Forbidden,
                    $"Bundle.entry[{i}]: '{grant.Actor}' may not write {type}: this needs {grant.Needs(type)}", $"Bundle.entry[{i}].resource"));
            }
        }
        if (issues.Count == 0)
        {
            return null;
        }
        await grant.RefusedAsync(string.Join("; ", issues.Select(i => i.Diagnostics)), ct);
        issues.Add(FhirIssue.Information($"{issues.Count} of {bundle.Entry.Count} entries are of a type this client may not write; nothing of this Bundle was stored"));
        return FhirResult.Error(StatusCodes.Status403Forbidden, format, issues);
    }

    private static async Task<IResult> TransactionAsync(HttpContext http, SinewEngine engine, byte[] body, List<FhirBundleEntry> entries, string key, FhirFormat format, ILogger logger, CancellationToken ct)
    {
        var request = http.Request;
        if (entries.Any(e => !e.IsValid))
        {
            var issues = entries.SelectMany(e => e.Issues).ToList();
            issues.Add(FhirIssue.Information($"{entries.Count(e => !e.IsValid)} of {entries.Count} entries are invalid; nothing of this transaction was stored"));
            return FhirResult.Error(StatusCodes.Status400BadRequest, format, issues);
        }
        var channels = entries.Select(e => e.Target!).DistinctBy(t => t.Channel).ToList();
        if (channels.Count > 1)
        {
            var routes = string.Join(", ", entries.Select(e => (e.Resource!.TypeName, e.Target!.Channel)).Distinct().Select(r => $"{r.TypeName} → {r.Channel}"));
            return FhirResult.Error(StatusCodes.Status400BadRequest, format, OperationOutcome.IssueType.NotSupported,
                $"a transaction is journaled as one message, so its entries must all go to one channel ({routes}); send a batch or one transaction per channel", "Bundle.entry");
        }
        var target = channels[0];
        if (body.Length > target.MaxBodyBytes)
        {
            return FhirCreate.TooLarge(format, target, body.Length);
        }
        var message = new InboundMessage(target.Channel, FhirRequest.Origin(request), request.ContentType!, body)
        {
            DedupeKey = key.Length > 0 ? "idem:" + key : null,
            ControlId = key.Length > 0 ? key : null,
            PartitionKey = FhirCreate.PartitionKey(target, request),
            TraceParent = FhirRequest.TraceParent(request),
            ReceivedAt = FhirCreated.JournalTime(DateTimeOffset.UtcNow),
        };
        AppendResult result;
        try
        {
            result = await engine.SubmitAsync(message, ct);
        }
        catch (JournalUnavailableException ex)
        {
            logger.LogError("Channel {Channel} could not journal a FHIR transaction: {Error}", target.Channel, ex.Message);
            return FhirResult.Unavailable(format, "the transaction could not be stored durably and was not accepted; retry later");
        }
        var types = entries.Select(e => e.Resource!.TypeName).ToList();
        var at = message.ReceivedAt;
        if (result.IsDuplicate && await engine.Journal.GetMessageAsync(result.MessageId, withBody: true, ct) is { } first)
        {
            // A repeat answers with what the first transaction created.
            at = first.ReceivedAt;
            if (FhirMediaType.ForStored(first.ContentType) is { } storedFormat
                && FhirParser.Parse(first.Body, storedFormat, target.Source.MaxDepth).Resource is Bundle firstBundle)
            {
                types = firstBundle.Entry.Select(e => e.Resource?.TypeName ?? "").ToList();
            }
        }
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse, Id = result.MessageId.ToString() };
        for (var i = 0; i < types.Count; i++)
        {
            response.Entry.Add(new Bundle.EntryComponent
            {
                Response = Created($"{types[i]}/{result.MessageId}-{i}", at),
            });
        }
        var answer = new FhirResult(StatusCodes.Status200OK, response, format);
        return result.IsDuplicate ? answer.WithHeader("Idempotent-Replayed", "true") : answer;
    }

    private static async Task<IResult> BatchAsync(HttpContext http, SinewEngine engine, List<FhirBundleEntry> entries, string key, FhirFormat format, ILogger logger, CancellationToken ct)
    {
        var request = http.Request;
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse };
        var stored = 0;
        var replayed = 0;
        var unavailable = false;
        foreach (var entry in entries)
        {
            if (!entry.IsValid)
            {
                response.Entry.Add(Refused("400 Bad Request", entry.Issues));
                continue;
            }
            var target = entry.Target!;
            var resource = entry.Resource!;
            var bytes = FhirResult.SerializeJson(resource);
            if (bytes.Length > target.MaxBodyBytes)
            {
                response.Entry.Add(Refused("413 Payload Too Large", [FhirIssue.Error(OperationOutcome.IssueType.TooCostly,
                    $"Bundle.entry[{entry.Index}]: the resource is {bytes.Length} bytes; channel '{target.Channel}' accepts at most {target.MaxBodyBytes}", $"Bundle.entry[{entry.Index}].resource")]));
                continue;
            }
            var message = new InboundMessage(target.Channel, FhirRequest.Origin(request), FhirMediaType.Json, bytes)
            {
                DedupeKey = key.Length > 0 ? $"idem:{key}#{entry.Index}" : null,
                ControlId = key.Length > 0 ? $"{key}#{entry.Index}" : null,
                PartitionKey = FhirCreate.PartitionKey(target, request),
                TraceParent = FhirRequest.TraceParent(request),
                ReceivedAt = FhirCreated.JournalTime(DateTimeOffset.UtcNow),
            };
            try
            {
                var result = await engine.SubmitAsync(message, ct);
                var at = message.ReceivedAt;
                if (result.IsDuplicate)
                {
                    replayed++;
                    at = (await engine.Journal.GetMessageAsync(result.MessageId, withBody: false, ct))?.ReceivedAt ?? at;
                }
                stored++;
                response.Entry.Add(new Bundle.EntryComponent { Response = Created($"{resource.TypeName}/{result.MessageId}", at) });
            }
            catch (JournalUnavailableException ex)
            {
                logger.LogError("Channel {Channel} could not journal a FHIR batch entry: {Error}", target.Channel, ex.Message);
                unavailable = true;
                response.Entry.Add(Refused("503 Service Unavailable", [FhirIssue.Error(OperationOutcome.IssueType.Transient,
                    $"Bundle.entry[{entry.Index}]: could not be stored durably and was not accepted; send it again later")]));
            }
        }
        var answer = new FhirResult(StatusCodes.Status200OK, response, format);
        if (stored > 0 && replayed == stored)
        {
            answer.WithHeader("Idempotent-Replayed", "true");
        }
        return unavailable ? answer.WithHeader("Retry-After", "5") : answer;
    }

    private static Bundle.ResponseComponent Created(string location, DateTimeOffset at) => new()
    {
        Status = "201 Created",
        Location = location,
        Etag = FhirCreated.ETag,
        LastModified = at,
    };

    private static Bundle.EntryComponent Refused(string status, IEnumerable<FhirIssue> issues) => new()
    {
        Response = new Bundle.ResponseComponent { Status = status, Outcome = FhirOutcome.From(issues) },
    };
}
