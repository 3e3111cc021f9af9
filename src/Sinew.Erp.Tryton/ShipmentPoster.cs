using System.Text.Json.Nodes;
using Sinew.Core.Delivery;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Posts consumption records as done internal shipments (storage location → consumption location), many per call:
/// one search for the references already there, one create for the new ones, one call per workflow step, one read
/// to check every shipment reached <c>done</c>. A shipment found unfinished (a crash mid-way) is driven on, not duplicated.
/// </summary>
internal sealed class ShipmentPoster
{
    public const string Model = "stock.shipment.internal";
    private const string Done = "done";

    private readonly TrytonClient _client;
    private readonly TrytonCatalog _catalog;
    private readonly string _consumptionLocation;

    public ShipmentPoster(TrytonClient client, TrytonCatalog catalog, string consumptionLocation)
    {
        _client = client;
        _catalog = catalog;
        _consumptionLocation = consumptionLocation;
    }

    /// <summary>
    /// One result per record. Throws <see cref="TrytonException"/> when a call fails for the whole batch (Tryton
    /// refuses a create or a step, or cannot be reached): Tryton runs each call in one transaction, so nothing of
    /// that call was kept and the records can be posted again, one by one if need be.
    /// </summary>
    public async Task<DeliveryResult[]> PostAsync(IReadOnlyList<ConsumptionRecord> records, CancellationToken cancellationToken)
    {
        var results = new DeliveryResult?[records.Count];
        var context = await _client.GetContextAsync(cancellationToken);
        var company = TrytonValue.ToId(context["company"])
            ?? throw new TrytonException($"the Tryton user '{_client.Connection.User}' has no current company; set one in the user's preferences", isTransient: false, "setup");
        await _catalog.ResolveAsync(
            records.Select(r => r.StorageLocation).Append(_consumptionLocation),
            records.SelectMany(r => r.Lines).Select(l => l.Product),
            records.SelectMany(r => r.Lines).Select(l => l.Unit).OfType<string>(),
            cancellationToken);
        if (!_catalog.TryGetLocation(_consumptionLocation, out var consumption))
        {
            throw new TrytonException($"no Tryton location with code '{_consumptionLocation}' (the destination's consumptionLocation)", isTransient: false, "setup");
        }

        var planned = new List<(int Index, JsonObject Values)>();
        for (var i = 0; i < records.Count; i++)
        {
            if (Plan(records[i], company, consumption, out var values, out var refusal))
            {
                planned.Add((i, values));
            }
            else
            {
                results[i] = DeliveryResult.Permanent(refusal);
            }
        }
        if (planned.Count > 0)
        {
            await PostPlannedAsync(records, planned, results, cancellationToken);
        }
        return [.. results.Select(r => r ?? DeliveryResult.Transient("not posted"))];
    }

    private async Task PostPlannedAsync(IReadOnlyList<ConsumptionRecord> records, List<(int Index, JsonObject Values)> planned, DeliveryResult?[] results, CancellationToken cancellationToken)
    {
        var keys = planned.Select(p => records[p.Index].Key).ToList();
        var existing = (await _client.SearchReadAsync(Model, TrytonValue.Domain(TrytonValue.Clause("reference", "in", TrytonValue.Strings(keys))), ["reference", "state"], cancellationToken))
            .Select(row => (Id: TrytonValue.ToId(row["id"])!.Value, Reference: TrytonValue.ToText(row["reference"]), State: TrytonValue.ToText(row["state"])))
            .OrderBy(row => row.Id)
            .ToList();

        var states = new Dictionary<long, string>();
        var shipmentOf = new Dictionary<int, long>();
        var toCreate = new List<(int Index, JsonObject Values)>();
        foreach (var (index, values) in planned)
        {
            var key = records[index].Key;
            var mine = existing.Where(row => row.Reference == key).ToList();
            if (mine.FirstOrDefault(row => row.State == Done) is { Id: > 0 } posted)
            {
                results[index] = DeliveryResult.Delivered($"already posted as internal shipment {posted.Id}");
            }
            else if (mine.FirstOrDefault(row => row.State is "draft" or "waiting" or "assigned" or "shipped") is { Id: > 0 } unfinished)
            {
                shipmentOf[index] = unfinished.Id;
                states[unfinished.Id] = unfinished.State;
            }
            else if (mine.FirstOrDefault(row => row.State != "cancelled") is { Id: > 0 } other)
            {
                results[index] = DeliveryResult.Permanent($"internal shipment {other.Id} with reference '{key}' is '{other.State}' in Tryton, which Sinew does not drive on");
            }
            else
            {
                toCreate.Add((index, values));
            }
        }
        if (toCreate.Count > 0)
        {
            var ids = await _client.CreateAsync(Model, toCreate.Select(c => c.Values), cancellationToken);
            for (var i = 0; i < ids.Count; i++)
            {
                shipmentOf[toCreate[i].Index] = ids[i];
                states[ids[i]] = "draft";
            }
        }
        if (states.Count == 0)
        {
            return;
        }
        await StepAsync("wait", states, s => s == "draft", "waiting", cancellationToken);
        await StepAsync("assign_force", states, s => s == "waiting", "assigned", cancellationToken);
        await StepAsync("done", states, s => s is "assigned" or "shipped", Done, cancellationToken);

        // Tryton skips a step silently when a shipment is not in a state it applies to: only the state read back counts.
        var final = (await _client.ReadAsync(Model, states.Keys, ["state"], cancellationToken))
            .ToDictionary(row => TrytonValue.ToId(row["id"])!.Value, row => TrytonValue.ToText(row["state"]));
        foreach (var (index, id) in shipmentOf)
        {
            var state = final.GetValueOrDefault(id, "missing");
            results[index] = state == Done
                ? DeliveryResult.Delivered($"internal shipment {id} done")
                : DeliveryResult.Transient($"internal shipment {id} is '{state}' after the done step; it will be driven on at the next try");
        }
    }

    private async Task StepAsync(string step, Dictionary<long, string> states, Func<string, bool> appliesTo, string next, CancellationToken cancellationToken)
    {
        var ids = states.Where(s => appliesTo(s.Value)).Select(s => s.Key).ToList();
        if (ids.Count == 0)
        {
            return;
        }
        await _client.ExecuteAsync(Model, step, ids, cancellationToken);
        foreach (var id in ids)
        {
            states[id] = next;
        }
    }

    private bool Plan(ConsumptionRecord record, long company, long consumption, out JsonObject values, out string refusal)
    {
        values = null!;
        if (!_catalog.TryGetLocation(record.StorageLocation, out var storage))
        {
            refusal = $"no Tryton location with code '{record.StorageLocation}' (storageLocation)";
            return false;
        }
        var date = EffectiveDate(record.OccurredOn);
        var moves = new JsonArray();
        foreach (var line in record.Lines)
        {
            if (!_catalog.TryGetProduct(line.Product, out var product))
            {
                refusal = $"no Tryton product with code '{line.Product}'";
                return false;
            }
            var uom = product.DefaultUom;
            if (line.Unit is { } symbol && !_catalog.TryGetUnit(symbol, out uom))
            {
                refusal = $"no Tryton unit of measure with symbol '{symbol}' (product '{line.Product}')";
                return false;
            }
            var move = new JsonObject
            {
                ["product"] = product.Id,
                ["uom"] = uom,
                ["quantity"] = line.Quantity,
                ["from_location"] = storage,
                ["to_location"] = consumption,
                ["company"] = company,
            };
            if (date is { } moveDate)
            {
                move["effective_date"] = TrytonValue.Date(moveDate);
            }
            moves.Add(move);
        }
        values = new JsonObject
        {
            ["reference"] = record.Key,
            ["company"] = company,
            ["from_location"] = storage,
            ["to_location"] = consumption,
            ["moves"] = new JsonArray(new JsonArray("create", moves)),
        };
        if (date is { } shipmentDate)
        {
            values["effective_date"] = TrytonValue.Date(shipmentDate);
        }
        refusal = "";
        return true;
    }

    /// <summary>
    /// The day the consumption happened, in its own time zone, but never after today in UTC: Tryton refuses a move
    /// dated in its future with a warning, and a clinic east of the server's time zone is a day ahead after midnight.
    /// </summary>
    private static DateOnly? EffectiveDate(DateOnly? occurredOn)
    {
        if (occurredOn is not { } day)
        {
            return null;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return day > today ? today : day;
    }
}
