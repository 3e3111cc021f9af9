using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sinew.Host.Admin;

namespace Sinew.Cli.Commands;

/// <summary>Talks to the admin API of a running Sinew.</summary>
internal sealed class HttpAdminClient(Uri baseUrl, string? token = null) : IAdminClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient _http = CreateHttp(baseUrl, token);

    /// <summary>An HTTP client for the admin API that sends <paramref name="token"/>: an API key (<c>snw_…</c>) or a bearer token.</summary>
    internal static HttpClient CreateHttp(Uri baseUrl, string? token)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrWhiteSpace(token))
        {
            token = token.Trim();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(token.StartsWith("snw_", StringComparison.Ordinal) ? "ApiKey" : "Bearer", token);
        }
        return http;
    }

    public Task<IReadOnlyList<ChannelView>> ListChannelsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ChannelView>>("api/v1/channels", cancellationToken);

    public Task<MessagePageView> SearchAsync(MessageSearchArgs args, CancellationToken cancellationToken) =>
        GetAsync<MessagePageView>("api/v1/messages" + QueryString(args), cancellationToken);

    public async Task<MessageDetail?> GetMessageAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync($"api/v1/messages/{id}", cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return await ReadAsync<MessageDetail>(response, cancellationToken);
    }

    public async Task<ReprocessView> ReprocessAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PostAsync($"api/v1/messages/{id}/reprocess", null, cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new ReprocessView(id, "not-found");
        }
        return await ReadAsync<ReprocessView>(response, cancellationToken);
    }

    public async Task<BulkReprocessView> ReprocessMatchingAsync(MessageSearchArgs args, CancellationToken cancellationToken)
    {
        var filter = new
        {
            channel = args.Channel,
            status = args.Status,
            from = args.From,
            to = args.To,
            controlId = args.ControlId,
            limit = args.BulkLimit(),
        };
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/v1/messages/reprocess", filter, Json, cancellationToken));
        return await ReadAsync<BulkReprocessView>(response, cancellationToken);
    }

    public Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<QueueView>>("api/v1/queues", cancellationToken);

    public Task<VarianceReport> InventoryVarianceAsync(string from, string to, string? channel, CancellationToken cancellationToken) =>
        GetAsync<VarianceReport>(
            $"api/v1/reports/inventory-variance?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}" + (channel is null ? "" : "&channel=" + Uri.EscapeDataString(channel)),
            cancellationToken);

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync(path, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"no Sinew answers at {baseUrl} ({ex.HttpRequestError}); start one with 'sinew run', or pass --data DIR to read a data folder directly");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            var detail = TryDetail(problem) ?? problem;
            throw new CliException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        }
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static string? TryDetail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string QueryString(MessageSearchArgs args)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("channel", args.Channel);
        Add("status", args.Status);
        Add("from", args.From);
        Add("to", args.To);
        Add("controlId", args.ControlId);
        Add("limit", args.Limit);
        Add("cursor", args.Cursor);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
