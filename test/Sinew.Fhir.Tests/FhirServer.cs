using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Sinew.Fhir.Tests;

/// <summary>One real <c>sinew run</c> with a channel whose source is <c>fhir</c> and whose destination writes files.</summary>
public sealed class FhirServer : IAsyncLifetime
{
    public const string Channel = "supply";

    /// <summary>The channel's body limit; the oversize test sends more.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private SinewProcess? _sinew;

    internal SinewProcess Sinew => _sinew!;

    public string OutFolder => _data.Combine("out", Channel);

    public async ValueTask InitializeAsync()
    {
        _config.Write("channels/supply.yaml", $"""
            name: {Channel}
            description: SupplyDelivery resources from the EHR
            source:
              type: fhir
              resources: [SupplyDelivery]
              maxBodyBytes: 1MB
              maxDepth: 64
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/{Channel}
            """);
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sinew is not null)
        {
            await _sinew.DisposeAsync();
        }
        _config.Dispose();
        _data.Dispose();
    }

    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType, string? idempotencyKey = null, string? accept = null, string? prefer = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        return await Sinew.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? idempotencyKey = null, string? prefer = null) =>
        PostAsync(path, Encoding.UTF8.GetBytes(json), "application/fhir+json", idempotencyKey, prefer: prefer);

    /// <summary>The answer's body as a FHIR resource, parsed by Firely (JSON or XML as the Content-Type says).</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) where T : Resource
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType == "application/fhir+xml"
            ? new FhirXmlDeserializer(new DeserializerSettings()).Deserialize<T>(text)
            : new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<T>(text);
    }

    /// <summary>How many messages the channel holds in total (all statuses), from the admin API.</summary>
    public async Task<long> MessageCountAsync()
    {
        var channels = await Sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/channels", TestContext.Current.CancellationToken);
        return channels.EnumerateArray().Single(c => c.GetProperty("name").GetString() == Channel).GetProperty("counts").GetProperty("total").GetInt64();
    }

    /// <summary>A message as the admin API shows it.</summary>
    public Task<JsonElement> MessageAsync(long id) =>
        Sinew.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages/{id}", TestContext.Current.CancellationToken);

    /// <summary>The delivered file of message <paramref name="id"/>, waiting for the destination to write it.</summary>
    public async Task<byte[]> DeliveredFileAsync(long id, string extension = ".json")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(OutFolder) && Directory.GetFiles(OutFolder, $"*-{id}-archive{extension}").SingleOrDefault() is { } file)
            {
                return await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"no delivered file for message {id} in {OutFolder}");
    }
}
