using System.Net;
using System.Net.Http.Headers;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Engine.Destinations;

/// <summary>
/// Sends each message as an HTTP request with an <c>Idempotency-Key</c> header. 2xx is delivered; 408, 425, 429
/// and 5xx are retried (honouring <c>Retry-After</c>); any other answer goes to the exception queue.
/// </summary>
public sealed class HttpDestination : IDestination
{
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly HttpMethod _method;
    private readonly IReadOnlyDictionary<string, string> _headers;

    public HttpDestination(Uri url, HttpMethod method, IReadOnlyDictionary<string, string> headers, bool allowLinkLocal = false)
    {
        _url = url;
        _method = method;
        _headers = headers;
        var handler = OutboundAddress.CreateHandler(allowLinkLocal);
        handler.AllowAutoRedirect = false;
        _client = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan, // The delivery worker applies the destination's timeout with cancellation.
        };
    }

    public static IDestination? Create(ConfigSection settings, ConnectorContext context)
    {
        var urlText = settings.GetString("url", required: true);
        var method = settings.GetChoice("method", "POST", "POST", "PUT");
        var allowLinkLocal = settings.GetBool("allowLinkLocal", false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (settings.GetSection("headers") is { } headerSection)
        {
            foreach (var name in headerSection.Keys.ToList())
            {
                var sensitive = name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase);
                var raw = headerSection.GetString(name) ?? "";
                var value = sensitive || SecretReference.IsReference(raw) ? headerSection.GetSecret(name) : raw;
                if (value is not null)
                {
                    headers[name] = value;
                }
            }
        }
        if (urlText is null)
        {
            return null;
        }
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            settings.Error("url", $"'{urlText}' must be an absolute http or https URL");
            return null;
        }
        if (!allowLinkLocal && OutboundAddress.Check(url) is { } refusal)
        {
            settings.Error("url", refusal);
            return null;
        }
        return new HttpDestination(url, method == "PUT" ? HttpMethod.Put : HttpMethod.Post, headers, allowLinkLocal);
    }

    public async ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(_method, _url);
        request.Content = new ReadOnlyMemoryContent(entry.Payload);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(entry.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", entry.IdempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var detail = $"HTTP {status} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Delivered(detail);
            }
            if (status is 408 or 425 or 429 || status >= 500)
            {
                return DeliveryResult.Transient(detail, RetryAfter(response));
            }
            return DeliveryResult.Permanent(detail);
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Transient($"connection failed: {ex.HttpRequestError}");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
