using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Engine.Sources;
using Sinew.Engine.Steps;
using Sinew.Host.Admin;

namespace Sinew.Host.Intake;

/// <summary>
/// <c>POST /in/{channel}</c>: the HTTP source. <c>202 Accepted</c> with the message id only after the journal commit;
/// a repeated <c>Idempotency-Key</c> gets the first answer and stores nothing; every refusal is a problem response.
/// </summary>
public static class HttpIntake
{
    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointConventionBuilder MapHttpIntake(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/in/{channel}", HandleAsync)
            .WithTags("intake")
            .WithSummary("Send a message to a channel whose source is http; 202 after it is durably journaled")
            .DisableAntiforgery();

    private static async Task<IResult> HandleAsync(string channel, HttpContext http, SinewEngine engine, ILoggerFactory loggers, CancellationToken ct)
    {
        var runtime = engine.FindChannel(channel);
        if (runtime is null || runtime.Config.Source is not HttpSource source)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown channel", runtime is null ? $"there is no channel '{Truncate(channel)}'" : $"channel '{runtime.Name}' does not take HTTP input");
        }
        if (!engine.IsReady)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Not accepting", "Sinew is starting or stopping; try again shortly");
        }
        var limit = source.MaxBodyBytes > 0 ? source.MaxBodyBytes : engine.Config.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"the body is {http.Request.ContentLength} bytes; channel '{runtime.Name}' accepts at most {limit}");
        }
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad Idempotency-Key", $"the Idempotency-Key header must be 1-{MaxIdempotencyKeyLength} printable ASCII characters without spaces");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }
        byte[] body;
        try
        {
            body = await ReadBodyAsync(http.Request, limit, ct);
        }
        catch (BodyTooLargeException)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"channel '{runtime.Name}' accepts at most {limit} bytes");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"channel '{runtime.Name}' accepts at most {limit} bytes");
        }
        if (body.Length == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Empty body", "the request has no body; send the message as the body");
        }

        var contentType = string.IsNullOrWhiteSpace(http.Request.ContentType) ? "application/octet-stream" : http.Request.ContentType;
        var message = new InboundMessage(runtime.Name, $"http {http.Connection.RemoteIpAddress}", contentType, body)
        {
            DedupeKey = idempotencyKey.Length > 0 ? "idem:" + idempotencyKey : null,
            ControlId = idempotencyKey.Length > 0 ? idempotencyKey : null,
            PartitionKey = runtime.Config.PartitionKey.Source == PartitionKeySource.Header ? NullIfEmpty(http.Request.Headers[runtime.Config.PartitionKey.Argument].ToString()) : null,
            TraceParent = TraceParentHeader(http.Request),
        };
        string? rejection = null;
        if (source.RequireUtf8 && ValidateStep.Utf8Offset(body) is { } offset)
        {
            rejection = $"the body is not valid UTF-8 (first bad byte at offset {offset})";
            message = message with { Status = MessageStatus.Rejected, Error = rejection };
        }

        AppendResult result;
        try
        {
            result = await engine.SubmitAsync(message, ct);
        }
        catch (JournalUnavailableException ex)
        {
            loggers.CreateLogger(typeof(HttpIntake)).LogError("Channel {Channel} could not journal an HTTP message: {Error}", runtime.Name, ex.Message);
            http.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Journal unavailable", "the message could not be stored durably and was not accepted; retry later");
        }
        if (rejection is not null && !result.IsDuplicate)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Message rejected", rejection + $"; kept as message {result.MessageId} for inspection");
        }
        if (result.IsDuplicate)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Accepted($"/api/v1/messages/{result.MessageId}", new AcceptedView(result.MessageId, result.IsDuplicate));
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>The caller's W3C traceparent, when well-formed, so the message's trace continues the sender's.</summary>
    private static string? TraceParentHeader(HttpRequest request)
    {
        var header = request.Headers["traceparent"].ToString();
        return header.Length is > 0 and <= 128 && System.Diagnostics.ActivityContext.TryParse(header, null, out _) ? header : null;
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new BodyTooLargeException();
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

    internal static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    private sealed class BodyTooLargeException : Exception;
}
