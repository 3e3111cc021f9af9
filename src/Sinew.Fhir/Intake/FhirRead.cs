using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Sinew.Core.Journal;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir.Intake;

/// <summary>
/// <c>GET /fhir/{type}/{id}</c>: a created resource read back from the journal's raw bytes. The id is the message id;
/// an entry of a transaction (journaled whole) is <c>{message id}-{entry index}</c>.
/// </summary>
internal static class FhirRead
{
    public static async Task<IResult> HandleAsync(string type, string id, HttpContext http, SinewEngine engine, CancellationToken ct)
    {
        var format = FhirMediaType.ForResponse(http.Request);
        if (FhirRoutes.UnknownType(engine, type, format) is { } unknown)
        {
            return unknown;
        }
        var target = FhirTarget.Find(engine, type)!;
        if (!TryParseId(id, out var messageId, out var entry))
        {
            return NotFound(format, $"'{FhirRoutes.Truncate(id)}' is not an id this server gives (a message id such as 17, or 17-2 for entry 2 of a transaction)");
        }
        var stored = await engine.Journal.GetMessageAsync(messageId, withBody: true, ct);
        if (stored is null || stored.Channel != target.Channel || FhirMediaType.ForStored(stored.ContentType) is not { } storedFormat)
        {
            return NotFound(format, $"there is no {type}/{id}");
        }
        if (stored.Status is MessageStatus.Rejected or MessageStatus.Discarded)
        {
            return NotFound(format, $"message {messageId} was {stored.Status.ToString().ToLowerInvariant()}; it is no {type} (see GET /api/v1/messages/{messageId})");
        }
        var parsed = FhirParser.Parse(stored.Body, storedFormat, target.Source.MaxDepth);
        var resource = parsed.Resource;
        if (resource is Bundle { Type: Bundle.BundleType.Transaction } bundle)
        {
            resource = entry is { } index && index < bundle.Entry.Count ? bundle.Entry[index].Resource : null;
        }
        else if (entry is not null)
        {
            resource = null;
        }
        if (!parsed.IsValid || resource is null || resource.TypeName != type)
        {
            return NotFound(format, $"there is no {type}/{id}");
        }
        FhirCreated.Stamp(resource, id, stored.ReceivedAt);
        return new FhirResult(StatusCodes.Status200OK, resource, format)
            .WithHeader("ETag", FhirCreated.ETag)
            .WithHeader("Last-Modified", stored.ReceivedAt.ToString("R"));
    }

    private static bool TryParseId(string id, out long messageId, out int? entry)
    {
        entry = null;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out messageId) && messageId > 0;
        }
        if (long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out messageId) && messageId > 0
            && int.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            entry = index;
            return true;
        }
        return false;
    }

    private static FhirResult NotFound(FhirFormat format, string diagnostics) =>
        FhirResult.Error(StatusCodes.Status404NotFound, format, OperationOutcome.IssueType.NotFound, diagnostics);
}
