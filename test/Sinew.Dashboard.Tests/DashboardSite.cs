using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

[assembly: AssemblyFixture(typeof(Sinew.Dashboard.Tests.DashboardSite))]

namespace Sinew.Dashboard.Tests;

/// <summary>
/// One real <c>sinew run</c> for the whole test assembly, with four channels: HL7 v2 to a folder, JSON events to a
/// folder, orders to an ERP peer that refuses until it recovers, and one channel the tests pause and resume.
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    private readonly TempFolder _config = new();
    private readonly TempFolder _data = new();
    private ErpPeer? _erp;
    private SinewProcess? _sinew;

    internal SinewProcess Sinew => _sinew ?? throw new InvalidOperationException("not started");

    internal ErpPeer Erp => _erp ?? throw new InvalidOperationException("not started");

    public Uri BaseUrl => Sinew.BaseUrl;

    public HttpClient Http => Sinew.Http;

    public async ValueTask InitializeAsync()
    {
        _erp = new ErpPeer();
        _config.Write("sinew.yaml", "http:\n  listen: 127.0.0.1:8080\nalerts:\n  interval: 300ms\n");
        _config.Write("channels/adt-feed.yaml", """
            name: adt-feed
            description: ADT from the EHR, archived to a folder
            source:
              type: http
            steps:
              - type: hl7
                partitionKey: PID-3.1
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/adt
            """);
        _config.Write("channels/json-events.yaml", """
            name: json-events
            description: JSON events, validated, written to a folder
            source:
              type: http
            steps:
              - name: well-formed
                type: validate
                format: json
            destinations:
              - name: events
                type: file
                maxSensitivity: phi
                path: out/events
                extension: .json
            sla:
              - {name: few-exceptions, type: exception-queue, max: 1000}
            """);
        _config.Write("channels/erp-orders.yaml", $"""
            name: erp-orders
            description: Supply orders posted to the ERP
            source:
              type: http
            destinations:
              - name: erp
                type: http
                maxSensitivity: phi
                url: {Erp.Url}
                method: POST
                timeout: 5s
                retry: {"{"} maxAttempts: 3, initialDelay: 1s, maxDelay: 2s {"}"}
            """);
        _config.Write("channels/lab-results.yaml", """
            name: lab-results
            description: Lab results, paused and resumed by the browser test
            source:
              type: http
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/lab
            """);
        _sinew = await SinewProcess.StartAsync(_config.Path, _data.Path);
    }

    /// <summary>POSTs a message to a channel's HTTP source and returns its id once the journal has it.</summary>
    public Task<long> PostAsync(string channel, string body, string contentType, string? controlId = null) =>
        PostAsync(channel, Encoding.UTF8.GetBytes(body), contentType, controlId);

    public async Task<long> PostAsync(string channel, byte[] body, string contentType, string? controlId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"in/{channel}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (controlId is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", controlId);
        }
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /in/{channel}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return answer.GetProperty("messageId").GetInt64();
    }

    /// <summary>Waits until the admin API shows the message in the wanted state (e.g. its status, or a delivery's).</summary>
    public async Task<JsonElement> WaitForMessageAsync(long id, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await Http.GetFromJsonAsync<JsonElement>($"api/v1/messages/{id}", TestContext.Current.CancellationToken);
            if (done(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"message {id} never became {what}; last seen: {last}");
    }

    public static string StatusOf(JsonElement detail) => detail.GetProperty("message").GetProperty("status").GetString()!;

    public static string? DeliveryStatusOf(JsonElement detail) =>
        detail.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("status").GetString()).FirstOrDefault();

    /// <summary>An ADT^A01 with the given control id and patient identifier (made up).</summary>
    public static string Adt(string controlId, string mrn) =>
        $"MSH|^~\\&|EHR|HOSP|ARCHIVE|HOSP|20261125120000||ADT^A01^ADT_A01|{controlId}|P|2.5.1\rEVN|A01|20261125120000\rPID|1||{mrn}^^^HOSP^MR||DOE^JANE^Q||19800101|F\rPV1|1|I|WARD1^101^A\r";

    public async ValueTask DisposeAsync()
    {
        if (_sinew is not null)
        {
            await _sinew.DisposeAsync();
        }
        if (_erp is not null)
        {
            await _erp.DisposeAsync();
        }
        _config.Dispose();
        _data.Dispose();
    }
}
