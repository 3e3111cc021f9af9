using Sinew.Core.Delivery;
using Sinew.Engine.Config;
using Sinew.Mapping.Crosswalks;

namespace Sinew.Erp.Tryton.Tests;

/// <summary>What the mapping (crosswalk rows) and the variance report (consumed, on hand) read back from Tryton.</summary>
[Collection("tryton")]
public sealed class TrytonReadTests(TrytonFixture tryton)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CrosswalkSource_FromConfig_ReturnsProductRows()
    {
        var prefix = TrytonFixture.Code("CW");
        await tryton.Peer.CreateProductAsync(prefix + "-A", "u", "Gauze 10x10");
        await tryton.Peer.CreateProductAsync(prefix + "-B", "l", "Saline");
        TrytonConnectors.Register(new ConnectorRegistry());
        Assert.True(CrosswalkSources.TryGet("tryton", out var factory));
        var diagnostics = new ConfigDiagnostics();
        var settings = TrytonFixture.Section($$"""
            type: tryton
            url: {{tryton.Peer.Url}}
            database: erp
            user: admin
            password: file:{{tryton.Peer.PasswordFile}}
            model: product.product
            fields: { key: code, erpProduct: code, name: name, unit: default_uom.symbol }
            domain: '[["code", "like", "{{prefix}}-%"]]'
            """, tryton.Peer.Folder, diagnostics);

        var source = factory(settings, new ConnectorContext("supply", tryton.Peer.Folder, ExtensionCatalog.Empty, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        settings.ReportUnknown();
        Assert.Empty(diagnostics.Errors);
        var rows = await source!.LoadAsync(Cancel);

        var sorted = rows.OrderBy(r => r["key"], StringComparer.Ordinal).ToList();
        Assert.Equal(2, sorted.Count);
        Assert.Equal(new Dictionary<string, string> { ["key"] = prefix + "-A", ["erpProduct"] = prefix + "-A", ["name"] = "Gauze 10x10", ["unit"] = "u" }, sorted[0]);
        Assert.Equal(new Dictionary<string, string> { ["key"] = prefix + "-B", ["erpProduct"] = prefix + "-B", ["name"] = "Saline", ["unit"] = "l" }, sorted[1]);
    }

    [Fact]
    public async Task CrosswalkSource_LocationsOfOneType_ReturnsOnlyThose()
    {
        var (_, storage) = await tryton.StorageAsync();
        var source = new TrytonCrosswalkSource(tryton.Connection, "stock.location", new Dictionary<string, string> { ["key"] = "code", ["type"] = "type" },
            System.Text.Json.Nodes.JsonNode.Parse("""[["type", "=", "storage"]]""")!.AsArray());

        var rows = await source.LoadAsync(Cancel);

        Assert.Contains(rows, r => r["key"] == storage && r["type"] == "storage");
        Assert.DoesNotContain(rows, r => r["key"] == tryton.ConsumptionCode);
    }

    [Fact]
    public async Task Stock_ConsumedAndOnHand_MatchWhatWasPosted()
    {
        var (icu, icuCode) = await tryton.StorageAsync();
        var (ward, wardCode) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(icu, 100);
        var saline = await tryton.ProductAsync(icu, 20, unit: "l");
        await tryton.Peer.AddStockAsync(ward, gauze.Id, 30);
        await using (var destination = tryton.Destination())
        {
            foreach (var (storage, product, quantity) in new[] { (icuCode, gauze.Code, 3m), (icuCode, gauze.Code, 4m), (icuCode, saline.Code, 1.5m), (wardCode, gauze.Code, 2m) })
            {
                var result = await destination.DeliverAsync(TrytonFixture.Entry(TrytonFixture.Code("msg"), TrytonFixture.Consumption(storage, (product, quantity, null))), Cancel);
                Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
            }
        }
        using var client = new TrytonClient(tryton.Connection);
        var stock = new TrytonStock(client);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var consumed = await stock.ConsumedAsync(today.AddDays(-1), today.AddDays(1), [icuCode, wardCode], tryton.ConsumptionCode, Cancel);
        var onHand = await stock.OnHandAsync([gauze.Code, saline.Code, "NOT-A-PRODUCT"], icuCode, today.AddDays(1), Cancel);
        var before = await stock.ConsumedAsync(today.AddDays(-10), today.AddDays(-2), [icuCode, wardCode], tryton.ConsumptionCode, Cancel);

        Assert.Equal(3, consumed.Count);
        Assert.Equal(7m, consumed[(gauze.Code, icuCode)]);
        Assert.Equal(1.5m, consumed[(saline.Code, icuCode)]);
        Assert.Equal(2m, consumed[(gauze.Code, wardCode)]);
        Assert.Equal(new Dictionary<string, decimal> { [gauze.Code] = 93m, [saline.Code] = 18.5m }, onHand);
        Assert.DoesNotContain(before.Keys, k => k.LocationCode == icuCode || k.LocationCode == wardCode);
    }
}
