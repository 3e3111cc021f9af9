using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Connectors.RabbitMq;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;

namespace Sinew.RabbitMq.Tests;

/// <summary>The destination against a real, private RabbitMQ broker: what lands on a bound queue, and what is retried.</summary>
public sealed class RabbitMqDestinationTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string Channel = "supply-consumption";

    // Spacing, field order and the number's spelling are deliberate: the event must carry the record byte for byte.
    private const string FirstRecord = """{ "schema": "InventoryConsumption/1", "consumptionId": "TX-1001", "occurredAt": "2026-11-25T10:15:00+01:00", "sourceSystem": "EHR", "clinicalLocation": "ICU", "storageLocation": "WH-ICU", "costCenter": "CC-4100", "lines": [ { "itemCode": "SUP-12345", "erpProduct": "GAUZE-10", "description": "Gauze 10×10 \"sterile\"", "quantity": 2.50, "unit": "u" } ] }""";
    private const string SecondRecord = """{"schema":"InventoryConsumption/1","consumptionId":"TX-1002","storageLocation":"WH-ICU","lines":[{"erpProduct":"SYR-5","quantity":1}]}""";

    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deliver_CanonicalPayloadWithTwoRecords_PublishesTwoPersistentCloudEventsWithTheRecordsAsGiven()
    {
        var exchange = Exchange();
        var queue = await broker.Peer.DeclareQueueAsync(exchange, "#", Cancel);
        await using var destination = Create(exchange);
        var entry = Entry("application/vnd.sinew.canonical+json; charset=utf-8", $"[\n  {FirstRecord},\n  {SecondRecord}\n]");

        var result = await destination.DeliverAsync(entry, Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var messages = await broker.Peer.GetAllAsync(queue, Cancel);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal($"{Channel}.events", m.RoutingKey));
        var first = CloudEventAssert.Structured(messages[0]);
        var second = CloudEventAssert.Structured(messages[1]);

        Assert.Equal($"{entry.IdempotencyKey}#0", first.GetProperty("id").GetString());
        Assert.Equal($"{entry.IdempotencyKey}#1", second.GetProperty("id").GetString());
        Assert.Equal("org.sinew.inventory-consumption.v1", first.GetProperty("type").GetString());
        Assert.Equal("/sinew/supply-consumption", first.GetProperty("source").GetString());
        Assert.Equal("2026-11-25T10:15:00+01:00", first.GetProperty("time").GetString());
        Assert.Equal("2026-11-25T09:30:00Z", second.GetProperty("time").GetString()); // no occurredAt: when Sinew received it
        Assert.Equal("TX-1001", first.GetProperty("subject").GetString());
        Assert.Equal("TX-1002", second.GetProperty("subject").GetString());
        Assert.Equal("application/json", first.GetProperty("datacontenttype").GetString());
        Assert.Equal("42", first.GetProperty("sinewmessageid").GetString());
        Assert.Equal(FirstRecord, first.GetProperty("data").GetRawText());
        Assert.Equal(SecondRecord, second.GetProperty("data").GetRawText());
        Assert.Equal(Encoding.UTF8.GetBytes(first.GetProperty("id").GetString()!), messages[0].Properties.Headers?["ce-id"]);
    }

    [Fact]
    public async Task Deliver_PlainJsonPayload_PublishesOneEventWithTheJsonAsDataAndTheConfiguredTypeAndKey()
    {
        var exchange = Exchange();
        var queue = await broker.Peer.DeclareQueueAsync(exchange, "inventory.consumption", Cancel);
        await using var destination = Create(exchange, routingKey: "inventory.consumption", eventType: "org.example.thing.v2", source: "/sinew/{channel}/{destination}");
        const string json = """{"event":"stock-count","count":3}""";

        var result = await destination.DeliverAsync(Entry("application/json", json), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var message = Assert.Single(await broker.Peer.GetAllAsync(queue, Cancel));
        var cloudEvent = CloudEventAssert.Structured(message);
        Assert.Equal("key-42-events", cloudEvent.GetProperty("id").GetString());
        Assert.Equal("org.example.thing.v2", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("/sinew/supply-consumption/events", cloudEvent.GetProperty("source").GetString());
        Assert.Equal("application/json", cloudEvent.GetProperty("datacontenttype").GetString());
        Assert.Equal(json, cloudEvent.GetProperty("data").GetRawText());
        Assert.False(cloudEvent.TryGetProperty("subject", out _));
    }

    [Fact]
    public async Task Deliver_NonJsonPayload_PublishesTheBytesAsDataBase64()
    {
        var exchange = Exchange();
        var queue = await broker.Peer.DeclareQueueAsync(exchange, "#", Cancel);
        await using var destination = Create(exchange);
        var hl7 = "MSH|^~\\&|LAB|HOSP|EHR|HOSP|20261125080000||ORU^R01|CTRL-1|P|2.5.1\rPID|1||X\r";

        var result = await destination.DeliverAsync(Entry("application/hl7-v2", hl7), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var cloudEvent = CloudEventAssert.Structured(Assert.Single(await broker.Peer.GetAllAsync(queue, Cancel)));
        Assert.Equal("application/hl7-v2", cloudEvent.GetProperty("datacontenttype").GetString());
        Assert.Equal(Encoding.UTF8.GetBytes(hl7), cloudEvent.GetProperty("data_base64").GetBytesFromBase64());
        Assert.False(cloudEvent.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Deliver_NoQueueBound_IsTransientAndSaysWhichExchangeAndKey()
    {
        var exchange = Exchange();
        await using var destination = Create(exchange, routingKey: "nobody.listens");

        var result = await destination.DeliverAsync(Entry("application/json", "{}"), Cancel);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Contains($"no queue bound to exchange '{exchange}' for routing key 'nobody.listens'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_CanonicalPayloadThatIsNotAnArray_IsPermanent()
    {
        await using var destination = Create(Exchange());

        var result = await destination.DeliverAsync(Entry("application/vnd.sinew.canonical+json", FirstRecord), Cancel);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("must be a JSON array of records", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_WrongPassword_IsTransientWithALoginReasonThatDoesNotContainThePassword()
    {
        await using var destination = Create(Exchange(), password: "not-the-password-" + Guid.NewGuid().ToString("N"));

        var result = await destination.DeliverAsync(Entry("application/json", "{}"), Cancel);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Contains("broker refused the login", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_BrokerStopped_IsTransient_ThenTheSameEntryIsDeliveredWhenItIsBack()
    {
        var exchange = Exchange();
        var queue = await broker.Peer.DeclareQueueAsync(exchange, "#", Cancel);
        await using var destination = Create(exchange);
        var before = Entry("application/json", """{"n":1}""", messageId: 1);
        var during = Entry("application/json", """{"n":2}""", messageId: 2);
        Assert.Equal(DeliveryOutcome.Delivered, (await destination.DeliverAsync(before, Cancel)).Outcome);

        await broker.Peer.StopAsync(Cancel);
        DeliveryResult down;
        try
        {
            down = await destination.DeliverAsync(during, Cancel);
        }
        finally
        {
            await broker.Peer.StartAsync(Cancel);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"broker restarted in {broker.Peer.LastStartDuration.TotalSeconds:0.0} s; while down: {down.Detail}");
        var retried = await destination.DeliverAsync(during, Cancel);

        Assert.Equal(DeliveryOutcome.Transient, down.Outcome);
        Assert.StartsWith("broker", down.Detail, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcome.Delivered, retried.Outcome);
        var ids = (await broker.Peer.GetAllAsync(queue, Cancel)).Select(m => m.Properties.MessageId).ToList();
        Assert.Equal([before.IdempotencyKey, during.IdempotencyKey], ids);
    }

    [Fact]
    public async Task DisposeAsync_AfterPublishing_ClosesItsConnectionOnTheBroker()
    {
        var exchange = Exchange();
        await broker.Peer.DeclareQueueAsync(exchange, "#", Cancel);
        var name = "sinew dispose " + Guid.NewGuid().ToString("N");
        var destination = Create(exchange, connectionName: name);
        Assert.Equal(DeliveryOutcome.Delivered, (await destination.DeliverAsync(Entry("application/json", "{}"), Cancel)).Outcome);
        Assert.Contains(name, await broker.Peer.RunCtlAsync(Cancel, "list_connections", "client_properties"), StringComparison.Ordinal);

        await destination.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string connections;
        do
        {
            connections = await broker.Peer.RunCtlAsync(Cancel, "list_connections", "client_properties");
        }
        while (connections.Contains(name, StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.DoesNotContain(name, connections, StringComparison.Ordinal);
    }

    private static string Exchange() => "sinew.test." + Guid.NewGuid().ToString("N")[..8];

    private RabbitMqDestination Create(string exchange, string? routingKey = null, string? eventType = null, string? source = null, string? password = null, string connectionName = "sinew tests")
    {
        var options = new RabbitMqDestinationOptions
        {
            Uri = broker.Peer.Uri,
            Password = password ?? broker.Peer.Password,
            Exchange = exchange,
            RoutingKey = routingKey ?? "{channel}.{destination}",
            EventType = eventType,
            Source = source ?? "/sinew/{channel}",
            ConfirmTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        return new RabbitMqDestination(options, connectionName, NullLogger<RabbitMqDestination>.Instance);
    }

    private static OutboxEntry Entry(string contentType, string payload, long messageId = 42) => new()
    {
        Id = messageId,
        MessageId = messageId,
        Channel = Channel,
        Destination = "events",
        PartitionKey = "",
        IdempotencyKey = $"key-{messageId}-events",
        ContentType = contentType,
        Status = DeliveryStatus.Pending,
        Attempts = 0,
        CreatedAt = ReceivedAt.AddSeconds(1),
        ReceivedAt = ReceivedAt,
        Payload = Encoding.UTF8.GetBytes(payload),
    };
}
