using System.Buffers;
using System.Diagnostics;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Sinew.Engine.Runtime;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir.Intake;

/// <summary>The parts of a FHIR request every endpoint reads the same way: the bounded body, Idempotency-Key, traceparent, Prefer.</summary>
internal static class FhirRequest
{
    private const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// What every FHIR POST checks before it looks at the resource, in this order: Sinew is ready, the Idempotency-Key is
    /// well formed, the media type is FHIR JSON or XML, the body fits <paramref name="limit"/>'s channel and is not empty.
    /// Returns the refusal, or the key, the body's format and its bytes.
    /// </summary>
    public static async Task<(IResult? Refusal, string Key, FhirFormat BodyFormat, byte[] Body)> ReadAsync(
        HttpRequest request, SinewEngine engine, FhirFormat format, FhirTarget limit, string emptyBody, CancellationToken ct)
    {
        if (!engine.IsReady)
        {
            return (FhirResult.Unavailable(format, "Sinew is starting or stopping; try again shortly"), "", default, []);
        }
        if (!TryGetIdempotencyKey(request, out var key))
        {
            return (FhirResult.Error(StatusCodes.Status400BadRequest, format, OperationOutcome.IssueType.Invalid, IdempotencyKeyRule), "", default, []);
        }
        if (FhirMediaType.ForBody(request.ContentType, out var mediaProblem) is not { } bodyFormat)
        {
            return (FhirResult.Error(StatusCodes.Status415UnsupportedMediaType, format, OperationOutcome.IssueType.NotSupported, mediaProblem!), "", default, []);
        }
        if (request.ContentLength > limit.MaxBodyBytes)
        {
            return (FhirCreate.TooLarge(format, limit, request.ContentLength), "", default, []);
        }
        var body = await ReadBodyAsync(request, limit.MaxBodyBytes, ct);
        if (body is null)
        {
            return (FhirCreate.TooLarge(format, limit, null), "", default, []);
        }
        if (body.Length == 0)
        {
            return (FhirResult.Error(StatusCodes.Status400BadRequest, format, OperationOutcome.IssueType.Required, emptyBody), "", default, []);
        }
        return (null, key, bodyFormat, body);
    }

    /// <summary>The Idempotency-Key header ("" when absent); false when it is not 1-200 printable ASCII characters.</summary>
    public static bool TryGetIdempotencyKey(HttpRequest request, out string key)
    {
        key = request.Headers["Idempotency-Key"].ToString();
        return key.Length <= MaxIdempotencyKeyLength && key.All(c => c is >= (char)0x21 and <= (char)0x7e);
    }

    public const string IdempotencyKeyRule = "the Idempotency-Key header must be 1-200 printable ASCII characters without spaces";

    /// <summary>
    /// Reads the body up to <paramref name="limit"/> bytes; null when it is larger (the rest is not read).
    /// </summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct);
                var buffer = read.Buffer;
                if (buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    return null;
                }
                if (read.IsCompleted)
                {
                    var bytes = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);
                    return bytes;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    /// <summary>The caller's W3C traceparent, when well-formed, so the message's trace continues the sender's.</summary>
    public static string? TraceParent(HttpRequest request)
    {
        var header = request.Headers["traceparent"].ToString();
        return header.Length is > 0 and <= 128 && ActivityContext.TryParse(header, null, out _) ? header : null;
    }

    /// <summary>Where the message came from, for the journal (never content).</summary>
    public static string Origin(HttpRequest request) => $"fhir {request.HttpContext.Connection.RemoteIpAddress}";

    /// <summary>What <c>Prefer: return=...</c> asked for: minimal, representation (default) or OperationOutcome.</summary>
    public static string PreferredReturn(HttpRequest request)
    {
        foreach (var value in request.Headers["Prefer"])
        {
            foreach (var part in (value ?? "").Split(',', ';'))
            {
                var trimmed = part.Trim();
                if (trimmed.StartsWith("return=", StringComparison.OrdinalIgnoreCase))
                {
                    return trimmed["return=".Length..].Trim('"') switch
                    {
                        var r when r.Equals("minimal", StringComparison.OrdinalIgnoreCase) => "minimal",
                        var r when r.Equals("OperationOutcome", StringComparison.OrdinalIgnoreCase) => "OperationOutcome",
                        _ => "representation",
                    };
                }
            }
        }
        return "representation";
    }
}
