using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sinew.Security.ApiKeys;

namespace Sinew.Security.Tests;

/// <summary>
/// A Bundle at <c>POST /fhir</c> is authorized entry by entry, by each entry's resource type, against the real
/// <c>sinew run</c>: two FHIR channels take SupplyDelivery and SupplyRequest; the cabinet may write SupplyDelivery only.
/// </summary>
public sealed class FhirBundleScopeTests : IAsyncLifetime
{
    private const string Delivery = """{"resourceType":"SupplyDelivery","status":"completed","suppliedItem":{"quantity":{"value":2},"itemCodeableConcept":{"coding":[{"code":"SUP-1"}]}},"occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}""";
    private const string Request = """{"resourceType":"SupplyRequest","status":"active","itemCodeableConcept":{"coding":[{"code":"SUP-1"}]},"quantity":{"value":1}}""";

    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private readonly Dictionary<string, string> _keys = [];
    private SinewProcess? _sinew;

    public async ValueTask InitializeAsync()
    {
        _config.Write("sinew.yaml", "security:\n  apiKeys: true\n");
        foreach (var (channel, type) in new[] { ("supply", "SupplyDelivery"), ("requests", "SupplyRequest") })
        {
            _config.Write($"channels/{channel}.yaml", $"""
                name: {channel}
                source:
                  type: fhir
                  resources: [{type}]
                destinations:
                  - name: archive
                    type: file
                    maxSensitivity: phi
                    path: out/{channel}
                """);
        }
        using (var store = SecurityStore.Open(_data.Path))
        {
            var now = DateTimeOffset.UtcNow;
            _keys["cabinet"] = store.CreateKey("cabinet", ["fhir:SupplyDelivery.write"], [], now).Secret;
            _keys["hub"] = store.CreateKey("hub", ["fhir:*.write"], [], now).Secret;
            _keys["lab"] = store.CreateKey("lab", ["channel:adt:send"], [], now).Secret;
            _keys["ops"] = store.CreateKey("ops", [], ["admin", "auditor"], now).Secret;
        }
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
    }

    private static string Bundle(string type, params string[] resources)
    {
        var entries = resources.Select(r => "{\"resource\":" + r + ",\"request\":{\"method\":\"POST\",\"url\":\"" + JsonDocument.Parse(r).RootElement.GetProperty("resourceType").GetString() + "\"}}");
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + string.Join(",", entries) + "]}";
    }

    private async Task<(int Status, string Body)> PostBundleAsync(string client, string bundle)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir") { Content = new StringContent(bundle, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/fhir+json");
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + _keys[client]);
        using var response = await _sinew!.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<int> MessagesAsync(string channel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/messages?channel={channel}");
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + _keys["ops"]);
        using var response = await _sinew!.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("items").GetArrayLength();
    }

    [Theory]
    [InlineData("transaction")]
    [InlineData("batch")]
    public async Task ClientWithOneTypeScope_BundleOfThatTypeOnly_IsAccepted(string type)
    {
        var (status, body) = await PostBundleAsync("cabinet", Bundle(type, Delivery, Delivery));

        Assert.True(status == 200, body);
        Assert.Equal(2, body.Split("201 Created").Length - 1);
        Assert.Equal(type == "transaction" ? 1 : 2, await MessagesAsync("supply"));
    }

    [Theory]
    [InlineData("transaction")]
    [InlineData("batch")]
    public async Task ClientWithOneTypeScope_BundleWithAnEntryOfAnotherType_IsRefusedWhole_NamingTheEntryAndScope_NothingStored_Audited(string type)
    {
        var (status, body) = await PostBundleAsync("cabinet", Bundle(type, Delivery, Request, Delivery));

        Assert.Equal(403, status);
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        var forbidden = Assert.Single(outcome.GetProperty("issue").EnumerateArray(), i => i.GetProperty("code").GetString() == "forbidden");
        Assert.Matches(@"^Bundle\.entry\[1\]: 'apikey:[0-9a-f]+' may not write SupplyRequest", forbidden.GetProperty("diagnostics").GetString());
        Assert.Contains("fhir:SupplyRequest.write", forbidden.GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bundle.entry[1].resource", forbidden.GetProperty("expression")[0].GetString());
        Assert.Equal(0, await MessagesAsync("supply"));
        Assert.Equal(0, await MessagesAsync("requests"));
        Assert.Empty(Directory.Exists(_data.Combine("out")) ? Directory.GetFiles(_data.Combine("out"), "*", SearchOption.AllDirectories) : []);

        using var audit = new HttpRequestMessage(HttpMethod.Get, "/fhir/AuditEvent?date=ge2000-01-01&_count=1000");
        audit.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + _keys["ops"]);
        using var trail = await _sinew!.Http.SendAsync(audit, TestContext.Current.CancellationToken);
        var events = await trail.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("auth.denied", events, StringComparison.Ordinal);
        Assert.Contains("fhir:SupplyRequest.write", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientWithEveryTypeScope_MixedBatch_StoresEveryEntry()
    {
        var (status, body) = await PostBundleAsync("hub", Bundle("batch", Delivery, Request));

        Assert.True(status == 200, body);
        Assert.Equal(1, await MessagesAsync("supply"));
        Assert.Equal(1, await MessagesAsync("requests"));
    }

    [Fact]
    public async Task ClientWithoutAnyFhirWriteScope_IsRefusedBeforeTheBundleIsRead()
    {
        var (status, body) = await PostBundleAsync("lab", Bundle("batch", Delivery));

        Assert.Equal(403, status);
        Assert.Contains("fhir:SupplyDelivery.write", body, StringComparison.Ordinal);
        Assert.Equal(0, await MessagesAsync("supply"));
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
}
