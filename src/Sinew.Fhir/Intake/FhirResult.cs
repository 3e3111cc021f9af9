using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Intake;

/// <summary>An HTTP answer carrying a FHIR resource (or none) in the format the client asked for.</summary>
public sealed class FhirResult(int statusCode, Resource? resource, FhirFormat format) : IResult
{
    private readonly List<KeyValuePair<string, string>> _headers = [];

    public int StatusCode => statusCode;

    public Resource? Resource => resource;

    public FhirResult WithHeader(string name, string value)
    {
        _headers.Add(new(name, value));
        return this;
    }

    /// <summary>An error answer: an OperationOutcome with the issues.</summary>
    public static FhirResult Error(int statusCode, FhirFormat format, IEnumerable<FhirIssue> issues) =>
        new(statusCode, FhirOutcome.From(issues), format);

    public static FhirResult Error(int statusCode, FhirFormat format, OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        Error(statusCode, format, [FhirIssue.Error(code, diagnostics, expression)]);

    /// <summary>503 with Retry-After: Sinew is starting, stopping, or its journal cannot commit.</summary>
    public static FhirResult Unavailable(FhirFormat format, string diagnostics) =>
        Error(StatusCodes.Status503ServiceUnavailable, format, OperationOutcome.IssueType.Transient, diagnostics).WithHeader("Retry-After", "5");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers.Append(name, value);
        }
        if (resource is null)
        {
            response.ContentLength = 0;
            return;
        }
        var bytes = Serialize(resource, format);
        response.ContentType = FhirMediaType.ContentType(format);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    /// <summary>The resource as FHIR JSON or XML bytes.</summary>
    public static byte[] Serialize(Resource resource, FhirFormat format) =>
        format == FhirFormat.Xml ? FhirXmlSerializer.Default.SerializeToBytes(resource) : SerializeJson(resource);

    /// <summary>
    /// FHIR JSON without the default encoder's escapes (<c>+</c> as <c>\u002B</c> in every timestamp): the answer is
    /// <c>application/fhir+json</c>, never embedded in HTML, so only what JSON itself requires is escaped.
    /// </summary>
    public static byte[] SerializeJson(Resource resource)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            FhirJsonSerializer.Default.Serialize(resource, writer, null);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
