using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sinew.Fhir.Intake;

/// <summary>The parts of a FHIR request every endpoint reads the same way: the bounded body, Idempotency-Key, traceparent, Prefer.</summary>
internal static class FhirRequest
{
    private const int MaxIdempotencyKeyLength = 200;

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
