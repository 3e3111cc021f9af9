using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sinew.RabbitMq.Tests;

/// <summary>
/// The real <c>sinew run</c> process with an HTTP channel publishing to a real, private RabbitMQ broker: what a
/// consumer of the exchange sees while the broker goes away and comes back, and what an operator sees on a bad login.
/// </summary>
public sealed class RabbitMqEndToEndTests(BrokerFixture broker) : IClassFixture<BrokerFixture>, IDisposable
{
    private const string Exchange = "sinew.events";
    private const string RoutingKey = "inventory.consumption";
    private readonly TempFolder _folder = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenBrokerStopped_When20MessagesArePosted_ThenEachArrivesAfterItReturns_WithNoLoss()
    {
        var queue = await broker.Peer.DeclareQueueAsync(Exchange, RoutingKey, Cancel);
        await using var sinew = await StartSinewAsync(broker.Peer.Password);

        // The path works before the outage: one event arrives, so the connection is open when the broker goes.
        var warmUp = await PostAsync(sinew, "WARM-UP");
        var arrived = await WaitForEventsAsync(queue, 1, TimeSpan.FromSeconds(60));
        Assert.Equal($"{warmUp}", Assert.Single(arrived).GetProperty("sinewmessageid").GetString());

        await broker.Peer.StopAsync(Cancel);
        var posted = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var consumptionId = $"TX-{i:D4}";
                posted[(await PostAsync(sinew, consumptionId)).ToString(CultureInfo.InvariantCulture)] = consumptionId;
            }
            // Sinew tried while the broker was away and kept the entry: it is pending with the reason, not lost. The
            // first one is checked: others may wait behind one in their partition (and the circuit breaker holds them).
            var first = long.Parse(posted.Keys.First(), CultureInfo.InvariantCulture);
            var delivery = await WaitForDeliveryAsync(sinew, first, d => d.GetProperty("attempts").GetInt32() >= 1, TimeSpan.FromSeconds(60));
            Assert.Equal("pending", delivery.GetProperty("status").GetString());
            Assert.Contains("broker", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await broker.Peer.StartAsync(Cancel);
        }

        var events = await WaitForEventsAsync(queue, 20, TimeSpan.FromSeconds(120));
        var byId = events.GroupBy(e => e.GetProperty("id").GetString()!).ToList();
        var duplicates = byId.Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"broker restarted in {broker.Peer.LastStartDuration.TotalSeconds:0.0} s; {events.Count} events, {byId.Count} distinct ids, duplicates: {(duplicates.Count == 0 ? "none" : string.Join(", ", duplicates))}");
        foreach (var line in sinew.Output.Split('\n').Where(l => l.Contains("RabbitMQ", StringComparison.Ordinal)))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
        Assert.Equal(20, byId.Count);
        foreach (var group in byId)
        {
            var cloudEvent = group.First();
            var messageId = cloudEvent.GetProperty("sinewmessageid").GetString()!;
            Assert.True(posted.TryGetValue(messageId, out var consumptionId), $"event for unknown message {messageId}");
            Assert.EndsWith("#0", group.Key, StringComparison.Ordinal);
            Assert.Equal(consumptionId, cloudEvent.GetProperty("subject").GetString());
            Assert.Equal(consumptionId, cloudEvent.GetProperty("data").GetProperty("consumptionId").GetString());
            Assert.Equal("org.sinew.inventory-consumption.v1", cloudEvent.GetProperty("type").GetString());
            Assert.Equal("/sinew/supply-consumption", cloudEvent.GetProperty("source").GetString());
        }
        Assert.Equal(posted.Values.Order(), byId.Select(g => g.First().GetProperty("subject").GetString()).Order());
        Assert.DoesNotContain(broker.Peer.Password, sinew.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenWrongPassword_WhenAMessageIsPosted_ThenItIsKeptWithALoginReason_AndNoPasswordIsLogged()
    {
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        await using var sinew = await StartSinewAsync(wrong, maxAttempts: 3);

        var id = await PostAsync(sinew, "TX-AUTH");
        var delivery = await WaitForDeliveryAsync(sinew, id, d => d.GetProperty("status").GetString() == "deadlettered", TimeSpan.FromSeconds(60));

        var reason = delivery.GetProperty("lastError").GetString();
        TestContext.Current.TestOutputHelper?.WriteLine(reason ?? "(no reason)");
        Assert.Contains("gave up after 3 attempts: broker refused the login", reason, StringComparison.Ordinal);
        using var live = await sinew.Http.GetAsync("health/live", Cancel);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.DoesNotContain(wrong, sinew.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(broker.Peer.Password, sinew.Output, StringComparison.Ordinal);
    }

    private async Task<SinewProcess> StartSinewAsync(string password, int maxAttempts = 1000)
    {
        var secret = _folder.Write("secrets/rabbitmq-password", password + "\n");
        _folder.Write("config/channels/supply-consumption.yaml", $"""
            name: supply-consumption
            source:
              type: http
            partitionKey: header:X-Partition-Key
            destinations:
              - name: events
                type: rabbitmq
                maxSensitivity: phi
                uri: {broker.Peer.Uri}
                password: file:{secret}
                exchange: {Exchange}
                routingKey: {RoutingKey}
                source: /sinew/supply-consumption
                confirmTimeout: 10s
                retry:
                  initialDelay: 100ms
                  maxDelay: 1s
                  maxAttempts: {maxAttempts}
                circuitBreaker:
                  breakDuration: 1s
            """);
        return await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));
    }

    private static async Task<long> PostAsync(SinewProcess sinew, string consumptionId)
    {
        var payload = $$"""[{"schema":"InventoryConsumption/1","consumptionId":"{{consumptionId}}","occurredAt":"2026-11-25T10:15:00+01:00","storageLocation":"WH-ICU","lines":[{"erpProduct":"GAUZE-10","quantity":2}]}]""";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.sinew.canonical+json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "in/supply-consumption") { Content = content };
        request.Headers.Add("Idempotency-Key", consumptionId);
        // Four partitions, so deliveries run concurrently on the destination's one connection.
        request.Headers.Add("X-Partition-Key", $"ward-{consumptionId[^1] % 4}");
        using var response = await sinew.Http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return accepted.GetProperty("messageId").GetInt64();
    }

    /// <summary>Reads the queue until <paramref name="distinct"/> different event ids arrived, and briefly on for late repeats.</summary>
    private async Task<List<JsonElement>> WaitForEventsAsync(string queue, int distinct, TimeSpan timeout)
    {
        var events = new List<JsonElement>();
        var deadline = DateTime.UtcNow + timeout;
        while (events.Select(e => e.GetProperty("id").GetString()).Distinct().Count() < distinct && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Cancel);
            events.AddRange((await broker.Peer.GetAllAsync(queue, Cancel)).Select(CloudEventAssert.Structured));
        }
        await Task.Delay(500, Cancel);
        events.AddRange((await broker.Peer.GetAllAsync(queue, Cancel)).Select(CloudEventAssert.Structured));
        return events;
    }

    private static async Task<JsonElement> WaitForDeliveryAsync(SinewProcess sinew, long messageId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var detail = await sinew.Http.GetFromJsonAsync<JsonElement>($"api/v1/messages/{messageId}", Cancel);
            var deliveries = detail.GetProperty("deliveries");
            if (deliveries.GetArrayLength() > 0)
            {
                last = deliveries[0].Clone();
                if (done(last.Value))
                {
                    return last.Value;
                }
            }
            await Task.Delay(200, Cancel);
        }
        throw new TimeoutException($"message {messageId} did not reach the expected delivery state within {timeout.TotalSeconds} s; last: {last}\n{sinew.Output}");
    }

    public void Dispose() => _folder.Dispose();
}
