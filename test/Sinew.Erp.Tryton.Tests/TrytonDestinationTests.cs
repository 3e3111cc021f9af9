using Sinew.Core.Delivery;

namespace Sinew.Erp.Tryton.Tests;

[Collection("tryton")]
public sealed class TrytonDestinationTests(TrytonFixture tryton)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deliver_Consumption_OnHandFallsByTheQuantityIncludingFractions()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 100);
        var saline = await tryton.ProductAsync(location, 10, unit: "l");
        await using var destination = tryton.Destination();
        var key = TrytonFixture.Code("msg");

        var result = await destination.DeliverAsync(TrytonFixture.Entry(key, TrytonFixture.Consumption(storage, (gauze.Code, 3, "u"), (saline.Code, 2.25m, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(97m, await tryton.Peer.OnHandAsync(gauze.Id, location));
        Assert.Equal(7.75m, await tryton.Peer.OnHandAsync(saline.Id, location));
        Assert.Equal([(ShipmentId(result), "done")], await tryton.Peer.ShipmentsAsync(key + "#0"));
    }

    [Fact]
    public async Task Deliver_SameKeyTwiceAndConcurrently_PostsOneShipmentAndStockFallsOnce()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 50);
        await using var destination = tryton.Destination();
        var key = TrytonFixture.Code("msg");
        var entry = TrytonFixture.Entry(key, TrytonFixture.Consumption(storage, (gauze.Code, 5, null)));

        var concurrent = await Task.WhenAll(destination.DeliverAsync(entry, Cancel).AsTask(), destination.DeliverAsync(entry, Cancel).AsTask());
        var again = await destination.DeliverAsync(entry, Cancel);

        Assert.All(concurrent.Append(again), r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Contains("already posted", again.Detail, StringComparison.Ordinal);
        Assert.Single(await tryton.Peer.ShipmentsAsync(key + "#0"));
        Assert.Equal(45m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_ShipmentLeftInDraft_IsResumedNotDuplicated()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 20);
        var key = TrytonFixture.Code("msg");
        var draft = await tryton.Peer.CreateDraftShipmentAsync(key + "#0", location, tryton.ConsumptionId, gauze.Id, 4);
        await using var destination = tryton.Destination();

        var result = await destination.DeliverAsync(TrytonFixture.Entry(key, TrytonFixture.Consumption(storage, (gauze.Code, 4, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal([(draft, "done")], await tryton.Peer.ShipmentsAsync(key + "#0"));
        Assert.Equal(16m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_ShipmentCancelledInTryton_PostsANewOneBesideIt()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 20);
        var key = TrytonFixture.Code("msg");
        var cancelled = await tryton.Peer.CreateDraftShipmentAsync(key + "#0", location, tryton.ConsumptionId, gauze.Id, 4);
        await tryton.Peer.CallAsync("model.stock.shipment.internal.cancel", new System.Text.Json.Nodes.JsonArray(cancelled));
        await using var destination = tryton.Destination();

        var result = await destination.DeliverAsync(TrytonFixture.Entry(key, TrytonFixture.Consumption(storage, (gauze.Code, 4, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { (cancelled, "cancelled"), (ShipmentId(result), "done") }, await tryton.Peer.ShipmentsAsync(key + "#0"));
        Assert.Equal(16m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_UnknownProduct_IsPermanentAndNamesTheCode()
    {
        var (_, storage) = await tryton.StorageAsync();
        await using var destination = tryton.Destination();
        var key = TrytonFixture.Code("msg");

        var result = await destination.DeliverAsync(TrytonFixture.Entry(key, TrytonFixture.Consumption(storage, ("NO-SUCH-PRODUCT-42", 1, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("'NO-SUCH-PRODUCT-42'", result.Detail, StringComparison.Ordinal);
        Assert.Empty(await tryton.Peer.ShipmentsAsync(key + "#0"));
    }

    [Fact]
    public async Task Deliver_UnknownStorageLocation_IsPermanentAndNamesTheCode()
    {
        var (location, _) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 1);
        await using var destination = tryton.Destination();

        var result = await destination.DeliverAsync(TrytonFixture.Entry(TrytonFixture.Code("msg"), TrytonFixture.Consumption("WH-NOWHERE", (gauze.Code, 1, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("'WH-NOWHERE'", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "[]", "content type")]
    [InlineData(null, "{not json", "not valid JSON")]
    [InlineData(null, "{\"schema\":\"InventoryConsumption/1\"}", "array")]
    [InlineData(null, "[{\"schema\":\"InventoryConsumption/1\",\"lines\":[{\"erpProduct\":\"A\",\"quantity\":1}]}]", "storageLocation")]
    [InlineData(null, "[{\"storageLocation\":\"WH\",\"lines\":[{\"erpProduct\":\"A\",\"quantity\":-1}]}]", "greater than zero")]
    public async Task Deliver_MalformedPayload_IsPermanentWithTheReason(string? contentType, string payload, string reason)
    {
        await using var destination = tryton.Destination();
        var entry = contentType is null ? TrytonFixture.Entry("k", payload) : TrytonFixture.Entry("k", payload, contentType);

        var result = await destination.DeliverAsync(entry, Cancel);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains(reason, result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, destination.Calls);
    }

    [Fact]
    public async Task Deliver_WhileTrytonIsDown_IsTransientAndPostsAfterRestart()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 10);
        await using var destination = tryton.Destination();
        var entry = TrytonFixture.Entry(TrytonFixture.Code("msg"), TrytonFixture.Consumption(storage, (gauze.Code, 2, null)));

        await tryton.Peer.StopAsync();
        DeliveryResult down;
        try
        {
            down = await destination.DeliverAsync(entry, Cancel);
        }
        finally
        {
            await tryton.Peer.StartAsync(Cancel);
        }
        var up = await destination.DeliverAsync(entry, Cancel);

        Assert.Equal(DeliveryOutcome.Transient, down.Outcome);
        Assert.Contains("cannot reach Tryton", down.Detail, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcome.Delivered, up.Outcome);
        Assert.Equal(8m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_FortyConcurrently_AreCoalescedIntoFewCallsAndAllPost()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 100);
        await using var destination = tryton.Destination(window: TimeSpan.FromMilliseconds(200));
        var keys = Enumerable.Range(0, 40).Select(_ => TrytonFixture.Code("msg")).ToList();

        var results = await Task.WhenAll(keys.Select(k => destination.DeliverAsync(TrytonFixture.Entry(k, TrytonFixture.Consumption(storage, (gauze.Code, 1, null))), Cancel).AsTask()));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Equal(60m, await tryton.Peer.OnHandAsync(gauze.Id, location));
        foreach (var key in keys)
        {
            Assert.Equal("done", Assert.Single(await tryton.Peer.ShipmentsAsync(key + "#0")).State);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"40 deliveries: {destination.Calls} calls, {destination.Batches} batches");
        // One by one would take 6 calls per delivery (search, create, wait, assign, done, read): 240.
        Assert.True(destination.Calls < 40, $"{destination.Calls} calls in {destination.Batches} batches for 40 deliveries");
        Assert.True(destination.Batches < 40, $"{destination.Batches} batches for 40 deliveries");
    }

    [Fact]
    public async Task Deliver_BatchWithOneRecordTrytonRefuses_OnlyThatOneFails()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 100);
        await using var destination = tryton.Destination(window: TimeSpan.FromMilliseconds(300));
        var keys = Enumerable.Range(0, 8).Select(_ => TrytonFixture.Code("msg")).ToList();

        // Gauze is counted in units (no decimals): Tryton refuses 2.5 of it.
        var results = await Task.WhenAll(keys.Select((k, i) => destination.DeliverAsync(
            TrytonFixture.Entry(k, TrytonFixture.Consumption(storage, (gauze.Code, i == 3 ? 2.5m : 1, null))), Cancel).AsTask()));

        Assert.Equal(DeliveryOutcome.Permanent, results[3].Outcome);
        Assert.Contains("2.5", results[3].Detail, StringComparison.Ordinal);
        Assert.All(results.Where((_, i) => i != 3), r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Empty(await tryton.Peer.ShipmentsAsync(keys[3] + "#0"));
        Assert.Equal(93m, await tryton.Peer.OnHandAsync(gauze.Id, location));
        Assert.True(destination.Batches < 8, $"{destination.Batches} batches: the eight deliveries were not posted together, so the fallback was not exercised");
    }

    [Fact]
    public async Task Deliver_PayloadWithTwoRecords_PostsOneShipmentPerRecord()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 10);
        await using var destination = tryton.Destination();
        var key = TrytonFixture.Code("msg");
        var record = TrytonFixture.Consumption(storage, (gauze.Code, 1, null)).Trim('[', ']');

        var result = await destination.DeliverAsync(TrytonFixture.Entry(key, $"[{record},{record}]"), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Single(await tryton.Peer.ShipmentsAsync(key + "#0"));
        Assert.Single(await tryton.Peer.ShipmentsAsync(key + "#1"));
        Assert.Equal(8m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_AsAUserInStockAndStockForceAssignment_Posts()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 10);
        var login = TrytonFixture.Code("sinew").ToLowerInvariant();
        var password = TrytonFixture.Password();
        await tryton.Peer.CreateUserAsync(login, password, "Stock", "Stock Force Assignment");
        await using var destination = tryton.Destination(connection: new TrytonConnection(tryton.Peer.Url, TrytonPeer.Database, login, password));

        var result = await destination.DeliverAsync(TrytonFixture.Entry(TrytonFixture.Code("msg"), TrytonFixture.Consumption(storage, (gauze.Code, 1, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(9m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    [Fact]
    public async Task Deliver_AsAUserWithoutForceAssignment_IsPermanentWithTrytonsAccessMessage()
    {
        var (location, storage) = await tryton.StorageAsync();
        var gauze = await tryton.ProductAsync(location, 10);
        var login = TrytonFixture.Code("clerk").ToLowerInvariant();
        var password = TrytonFixture.Password();
        await tryton.Peer.CreateUserAsync(login, password, "Stock");
        await using var destination = tryton.Destination(connection: new TrytonConnection(tryton.Peer.Url, TrytonPeer.Database, login, password));

        var result = await destination.DeliverAsync(TrytonFixture.Entry(TrytonFixture.Code("msg"), TrytonFixture.Consumption(storage, (gauze.Code, 1, null))), Cancel);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("assign_force", result.Detail, StringComparison.Ordinal); // Tryton's own words: Calling button "assign_force" … is not allowed.
        Assert.Equal(10m, await tryton.Peer.OnHandAsync(gauze.Id, location));
    }

    private static long ShipmentId(DeliveryResult result) =>
        long.Parse(result.Detail!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
}
