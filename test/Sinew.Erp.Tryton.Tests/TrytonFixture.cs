using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace Sinew.Erp.Tryton.Tests;

/// <summary>One real Tryton server shared by the Tryton test classes (they run one after another), with a consumption location.</summary>
public sealed class TrytonFixture : IAsyncLifetime
{
    private TrytonPeer? _peer;

    internal TrytonPeer Peer => _peer ?? throw new InvalidOperationException("Tryton is not started");

    public string ConsumptionCode { get; } = "CONS-" + Guid.NewGuid().ToString("N")[..8];

    public long ConsumptionId { get; private set; }

    public TrytonConnection Connection => new(Peer.Url, TrytonPeer.Database, TrytonPeer.User, Peer.Password);

    public async ValueTask InitializeAsync()
    {
        _peer = await TrytonPeer.StartNewAsync(TestContext.Current.CancellationToken);
        ConsumptionId = await _peer.CreateConsumptionLocationAsync(ConsumptionCode, "Clinical consumption");
    }

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    /// <summary>A random password Tryton accepts (its check wants mostly distinct characters).</summary>
    public static string Password()
    {
        var letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".ToCharArray();
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(letters.AsSpan());
        return new string(letters, 0, 16);
    }

    /// <summary>A code no other test uses.</summary>
    public static string Code(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}".ToUpperInvariant();

    public TrytonDestination Destination(int batchSize = 50, TimeSpan? window = null, TrytonConnection? connection = null) =>
        new(new TrytonDestinationSettings(connection ?? Connection, ConsumptionCode) { BatchSize = batchSize, BatchWindow = window ?? TimeSpan.FromMilliseconds(100) }, NullLogger<TrytonDestination>.Instance);

    /// <summary>A storage location with stock of fresh products: (location id, code), and per product (id, code).</summary>
    internal async Task<(long Location, string LocationCode)> StorageAsync()
    {
        var code = Code("WH");
        return (await Peer.CreateStorageLocationAsync(code), code);
    }

    internal async Task<(long Id, string Code)> ProductAsync(long location, decimal stock, string unit = "u")
    {
        var code = Code("P");
        var id = await Peer.CreateProductAsync(code, unit);
        await Peer.AddStockAsync(location, id, stock);
        return (id, code);
    }

    public static OutboxEntry Entry(string key, string json, string contentType = "application/vnd.sinew.canonical+json; schema=InventoryConsumption/1") => new()
    {
        Id = 1,
        MessageId = 1,
        Channel = "supply",
        Destination = "erp",
        PartitionKey = "p",
        IdempotencyKey = key,
        ContentType = contentType,
        Status = DeliveryStatus.Pending,
        Attempts = 0,
        CreatedAt = DateTimeOffset.UtcNow,
        Payload = Encoding.UTF8.GetBytes(json),
    };

    /// <summary>A canonical payload of one record taking the given lines from a storage location, now.</summary>
    public static string Consumption(string storage, params (string Product, decimal Quantity, string? Unit)[] lines)
    {
        var items = string.Join(",", lines.Select(l =>
            $$"""{"itemCode":"SUP-1","erpProduct":"{{l.Product}}","description":"test item","quantity":{{l.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{(l.Unit is null ? "" : $",\"unit\":\"{l.Unit}\"")}}}"""));
        return $$"""[{"schema":"InventoryConsumption/1","consumptionId":"TX-1","occurredAt":"{{DateTimeOffset.Now:O}}","sourceSystem":"EHR","clinicalLocation":"ICU","storageLocation":"{{storage}}","costCenter":"CC-1","lines":[{{items}}]}]""";
    }

    /// <summary>A config section from YAML text, as the loader would give a connector.</summary>
    public static ConfigSection Section(string yaml, string baseDirectory, ConfigDiagnostics diagnostics)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new ConfigSection("channel.yaml", "destinations[0]", (YamlMappingNode)stream.Documents[0].RootNode, diagnostics, baseDirectory);
    }
}

[CollectionDefinition("tryton")]
public sealed class TrytonCollection : ICollectionFixture<TrytonFixture>;
