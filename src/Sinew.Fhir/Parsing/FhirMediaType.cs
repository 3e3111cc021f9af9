using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sinew.Fhir.Parsing;

/// <summary>Maps media types to <see cref="FhirFormat"/>: what a request body is, and what the client wants back.</summary>
public static class FhirMediaType
{
    public const string Json = "application/fhir+json";

    public const string Xml = "application/fhir+xml";

    /// <summary>The media types a body may be sent as, for error messages.</summary>
    public const string Accepted = "application/fhir+json, application/json, application/fhir+xml, application/xml";

    /// <summary>The format of a body with this Content-Type; null when it is not one FHIR accepts (415), with the reason.</summary>
    public static FhirFormat? ForBody(string? contentType, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            problem = $"the request has no usable Content-Type; send one of {Accepted}";
            return null;
        }
        var format = FromName(parsed.MediaType.Value);
        if (format is null)
        {
            problem = $"Content-Type '{parsed.MediaType.Value}' is not supported; send one of {Accepted}";
            return null;
        }
        var charset = parsed.Charset.Value;
        if (format == FhirFormat.Json && charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"charset '{charset}' is not supported; FHIR JSON is UTF-8";
            return null;
        }
        return format;
    }

    /// <summary>The format the client asked for with <c>_format</c> or <c>Accept</c>; JSON when it named neither.</summary>
    public static FhirFormat ForResponse(HttpRequest request)
    {
        var formatParameter = request.Query["_format"].ToString();
        if (formatParameter.Length > 0)
        {
            return FromName(formatParameter) ?? FhirFormat.Json;
        }
        var accept = request.Headers.Accept.ToString();
        if (accept.Length > 0 && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types))
        {
            foreach (var type in types.OrderByDescending(t => t.Quality ?? 1.0))
            {
                if (FromName(type.MediaType.Value) is { } format)
                {
                    return format;
                }
            }
        }
        return FhirFormat.Json;
    }

    /// <summary>The format a stored message was sent in, from its content type; null when it is not FHIR.</summary>
    public static FhirFormat? ForStored(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? FromName(parsed.MediaType.Value) : null;

    /// <summary>The Content-Type of an answer in <paramref name="format"/>.</summary>
    public static string ContentType(FhirFormat format) => format == FhirFormat.Xml ? Xml + "; charset=utf-8" : Json + "; charset=utf-8";

    private static FhirFormat? FromName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "json" or "application/fhir+json" or "application/json" or "application/json+fhir" or "text/json" => FhirFormat.Json,
        "xml" or "application/fhir+xml" or "application/xml" or "application/xml+fhir" or "text/xml" => FhirFormat.Xml,
        _ => null,
    };
}
