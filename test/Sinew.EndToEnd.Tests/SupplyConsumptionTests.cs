using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sinew.Mllp;

namespace Sinew.EndToEnd.Tests;

/// <summary>
/// Reference integration 1, end to end against real peers: DFT^P03 over MLLP from python-hl7's mllp_send and FHIR
/// SupplyDelivery over HTTP, through the shipped sample channels (mapping, crosswalks, PHI policy), into a real Tryton
/// (stock moves) and a real RabbitMQ (CloudEvents); Tryton stopped and restarted mid-run; unknown supply codes fixed in
/// the crosswalk and reprocessed through the admin API.
/// </summary>
public sealed class SupplyConsumptionTests : IAsyncLifetime
{
    private const decimal InitialStock = 100_000m;
    private const string Canary = "CANARY";
    private static readonly string[] Products = ["GAUZE-10", "GLOVE-M", "SYRINGE-5", "SALINE-500"];
    private static readonly Dictionary<string, string> SupplyCodes = new()
    {
        ["GAUZE-10"] = "SUP-12345", ["GLOVE-M"] = "SUP-22001", ["SYRINGE-5"] = "SUP-30500", ["SALINE-500"] = "SUP-40010",
    };
    private static readonly Dictionary<string, string> Departments = new() { ["ICU"] = "WH-ICU", ["ER"] = "WH-ER", ["OR"] = "WH-OR" };

    private readonly TempFolder _folder = new();
    private readonly Dictionary<(string Product, string Location), decimal> _expected = [];
    private TrytonPeer? _tryton;
    private RabbitMqPeer? _broker;

    public async ValueTask InitializeAsync()
    {
        if (PythonHl7.Python is null || PythonHl7.MllpSend is null || !File.Exists("/usr/bin/trytond") || !File.Exists("/usr/sbin/rabbitmq-server"))
        {
            return;
        }
        var tryton = TrytonPeer.StartNewAsync(TestContext.Current.CancellationToken);
        var broker = RabbitMqPeer.StartNewAsync(TestContext.Current.CancellationToken);
        _tryton = await tryton;
        _broker = await broker;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tryton is not null)
        {
            await _tryton.DisposeAsync();
        }
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        _folder.Dispose();
    }

    [Fact]
    public async Task SupplyConsumption_MllpAndFhir_IntoTrytonAndRabbitMq_ExactlyOnceWithoutPatientData()
    {
        Assert.SkipWhen(_tryton is null || _broker is null, "needs python3-hl7, tryton-server and rabbitmq-server (installed by .ci/run)");
        var ct = TestContext.Current.CancellationToken;
        var tryton = _tryton!;
        var broker = _broker!;

        // The ERP: a company, three storage rooms with stock, the consumption location, the products.
        await tryton.EnsureCompanyAsync();
        var consumption = await tryton.CreateConsumptionLocationAsync("CLIN-CONS", "Clinical consumption");
        var locations = new Dictionary<string, long>();
        foreach (var code in Departments.Values)
        {
            locations[code] = await tryton.CreateStorageLocationAsync(code);
        }
        var products = new Dictionary<string, long>();
        foreach (var code in Products)
        {
            products[code] = await tryton.CreateProductAsync(code);
            foreach (var location in locations.Values)
            {
                await tryton.AddStockAsync(location, products[code], InitialStock);
            }
        }
        var queue = await broker.DeclareQueueAsync("sinew.events", "inventory.consumption", ct);

        // Sinew: the shipped sample, pointed at these peers.
        var config = CopySample(tryton, broker, out var mllpPort);
        await using var sinew = await SinewProcess.StartAsync(config, _folder.Combine("data"));
        var random = new Random(20261125);
        var when = DateTimeOffset.UtcNow.AddHours(-1);

        // 1. 250 DFT^P03 over MLLP from python-hl7, while Tryton is up.
        var first = Enumerable.Range(1, 250).Select(i => Dft(i, random, when)).ToList();
        await SendWithPythonAsync(first, mllpPort, ct);
        await WaitAsync(async () => await DeliveredAsync(sinew, "supply-dft", "erp") >= 100, "the first postings", ct);

        // 2. Tryton goes down mid-run; 250 more DFTs and 100 SupplyDeliveries arrive and are accepted meanwhile.
        await tryton.StopAsync();
        var second = Enumerable.Range(251, 250).Select(i => Dft(i, random, when)).ToList();
        await SendWithPythonAsync(second, mllpPort, ct);
        await PostFhirAsync(sinew, random, when, ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await tryton.StartAsync(ct);

        // 3. Supplies with a code the crosswalk does not know go to the exception queue with that reason.
        var unknown = Enumerable.Range(9001, 5).Select(i => DftWith(i, "SUP-77777", "ICU", 2m, when)).ToList();
        await SendWithPythonAsync(unknown, mllpPort, ct);
        var failed = await WaitForFailedAsync(sinew, 5, ct);
        Assert.All(failed, f => Assert.Contains("no ERP product for supply code SUP-77777", f.Error, StringComparison.Ordinal));

        // The fix: a crosswalk row, then reprocess through the admin API.
        await File.AppendAllTextAsync(Path.Combine(config, "channels", "crosswalks", "items.csv"), "SUP-77777,GLOVE-M,u,Nitrile gloves (new code)\n", ct);
        await Task.Delay(TimeSpan.FromMilliseconds(1200), ct); // the crosswalk file is checked at most once a second
        foreach (var (id, _) in failed)
        {
            using var reprocess = await sinew.Http.PostAsync($"/api/v1/messages/{id}/reprocess", null, ct);
            Assert.Equal(HttpStatusCode.OK, reprocess.StatusCode);
        }
        Add("GLOVE-M", "WH-ICU", 2m * 5);

        // Everything reaches both destinations; nothing is dead-lettered.
        const int records = 500 + 100 + 5;
        await WaitAsync(async () => await DeliveredAsync(sinew, "supply-dft", "erp") + await DeliveredAsync(sinew, "supply-fhir", "erp") >= 500 + 5 + 46, "every ERP posting", ct, TimeSpan.FromMinutes(5));
        await WaitAsync(async () => await QueuesEmptyAsync(sinew), "empty queues", ct, TimeSpan.FromMinutes(5));
        var queues = await sinew.Http.GetFromJsonAsync<JsonArray>("/api/v1/queues", ct);
        Assert.All(queues!, q => Assert.Equal(0, (long)q!["deadLetters"]!));

        // Tryton: on hand fell by exactly what was consumed, one done shipment per record, no reference twice.
        foreach (var ((product, location), quantity) in _expected)
        {
            Assert.Equal(InitialStock - quantity, await tryton.OnHandAsync(products[product], locations[location]));
        }
        var shipments = (await tryton.CallAsync("model.stock.shipment.internal.search_read", new JsonArray(), 0, null, null, new JsonArray("reference", "state")))!.AsArray();
        Assert.Equal(records, shipments.Count);
        Assert.Equal(records, shipments.Select(s => (string)s!["reference"]!).Distinct().Count());
        Assert.All(shipments, s => Assert.Equal("done", (string)s!["state"]!));

        // RabbitMQ: one CloudEvent per record (at least once; the ids are unique per record), none with patient data.
        var events = await broker.GetAllAsync(queue, ct);
        Assert.Equal(records, events.Select(e => JsonNode.Parse(e.Text)!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(events, e => Assert.DoesNotContain(Canary, e.Text, StringComparison.Ordinal));

        // No canary in any Tryton record: the whole ERP database file, byte for byte.
        await tryton.StopAsync();
        foreach (var file in Directory.EnumerateFiles(tryton.Folder, "*.sqlite*"))
        {
            Assert.DoesNotContain(Canary, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, ct)), StringComparison.Ordinal);
        }
        await tryton.StartAsync(ct);

        // The variance report agrees: what Sinew recorded is what Tryton booked, item by item.
        var today = DateOnly.FromDateTime(when.UtcDateTime);
        var (exit, output, error) = await SinewProcess.RunCliAsync("report", "variance", "--from", today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--url", sinew.BaseUrl.ToString(), "--json");
        Assert.True(exit == 0, $"variance exit {exit}: {output} {error}\n{sinew.Output}");
        var report = JsonNode.Parse(output)!;
        var rows = report["rows"]!.AsArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(0m, (decimal)r!["difference"]!));
        var recorded = rows.Sum(r => (decimal)r!["recorded"]!);
        Assert.Equal(_expected.Values.Sum(), recorded);

        // The dashboard shows the same report, and each message's canonical form as it was queued (no patient fields).
        var page = await sinew.Http.GetStringAsync("/reports/variance?from=" + today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "&to=" + today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct);
        Assert.Contains("Everything recorded was booked.", page, StringComparison.Ordinal);
        var dft = await sinew.Http.GetFromJsonAsync<JsonObject>("/api/v1/messages?channel=supply-dft&status=processed&limit=1", ct);
        var messagePage = await sinew.Http.GetStringAsync($"/messages/{(long)dft!["items"]![0]!["id"]!}", ct);
        var canonicalForm = messagePage[messagePage.IndexOf("<h2>Canonical form</h2>", StringComparison.Ordinal)..];
        Assert.Contains("InventoryConsumption/1", canonicalForm, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, canonicalForm, StringComparison.Ordinal);

        // No patient identifier in Sinew's own output either.
        Assert.DoesNotContain(Canary, sinew.Output, StringComparison.Ordinal);
    }

    private string CopySample(TrytonPeer tryton, RabbitMqPeer broker, out int mllpPort)
    {
        var source = Path.Combine(SinewProcess.RepoRoot, "samples", "supply-consumption");
        var target = _folder.Combine("config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var secrets = _folder.Combine("secrets");
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "tryton"), tryton.Password);
        File.WriteAllText(Path.Combine(secrets, "rabbitmq"), broker.Password);
        mllpPort = Ports.Free();
        foreach (var channel in Directory.EnumerateFiles(Path.Combine(target, "channels"), "*.yaml"))
        {
            var text = File.ReadAllText(channel)
                .Replace("http://127.0.0.1:8000/", tryton.Url.ToString(), StringComparison.Ordinal)
                .Replace("env:TRYTON_PASSWORD", "file:" + Path.Combine(secrets, "tryton"), StringComparison.Ordinal)
                .Replace("amqp://sinew@127.0.0.1:5672/%2f", broker.Uri.ToString(), StringComparison.Ordinal)
                .Replace("env:RABBITMQ_PASSWORD", "file:" + Path.Combine(secrets, "rabbitmq"), StringComparison.Ordinal)
                .Replace("listen: 127.0.0.1:2577", $"listen: 127.0.0.1:{mllpPort}", StringComparison.Ordinal)
                .Replace("initialDelay: 2s", "initialDelay: 500ms", StringComparison.Ordinal)
                .Replace("maxDelay: 2m", "maxDelay: 3s", StringComparison.Ordinal);
            File.WriteAllText(channel, text);
        }
        return target;
    }

    private byte[] Dft(int n, Random random, DateTimeOffset when)
    {
        var department = Departments.Keys.ElementAt(random.Next(Departments.Count));
        var lines = Enumerable.Range(1, random.Next(1, 4)).Select(_ => (Product: Products[random.Next(Products.Length)], Quantity: (decimal)random.Next(1, 9))).ToList();
        return DftLines(n, department, lines, when);
    }

    private byte[] DftWith(int n, string supplyCode, string department, decimal quantity, DateTimeOffset when) =>
        DftLines(n, department, [(supplyCode, quantity)], when, countIt: false);

    private byte[] DftLines(int n, string department, IReadOnlyList<(string Product, decimal Quantity)> lines, DateTimeOffset when, bool countIt = true)
    {
        var stamp = when.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"MSH|^~\\&|EHR|GENHOSP|SINEW|GENHOSP|{stamp}||DFT^P03^DFT_P03|DFT{n:D6}|P|2.5.1\r")
            .Append(CultureInfo.InvariantCulture, $"EVN|P03|{stamp}\r")
            .Append(CultureInfo.InvariantCulture, $"PID|1||MRN-{Canary}-{n}^^^GENHOSP^MR||{Canary}SURNAME^JANE||19800101|F\r")
            .Append(CultureInfo.InvariantCulture, $"PV1|1|I|{department}^1^A||||||||||||||||V-{Canary}-{n}^^^GENHOSP^VN\r");
        for (var i = 0; i < lines.Count; i++)
        {
            var (product, quantity) = lines[i];
            var code = SupplyCodes.GetValueOrDefault(product, product);
            text.Append(CultureInfo.InvariantCulture, $"FT1|{i + 1}|TX-{n}-{i}||{stamp}|{stamp}|CG|{code}^Supply^LOCAL|||{quantity.ToString(CultureInfo.InvariantCulture)}|||{department}\r");
            if (countIt)
            {
                Add(product, Departments[department], quantity);
            }
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private void Add(string product, string location, decimal quantity) =>
        _expected[(product, location)] = _expected.GetValueOrDefault((product, location)) + quantity;

    private async Task SendWithPythonAsync(IReadOnlyList<byte[]> messages, int port, CancellationToken ct)
    {
        var file = _folder.Combine($"batch-{Guid.NewGuid():N}.mllp");
        await File.WriteAllBytesAsync(file, messages.SelectMany(m => (byte[])[MllpFraming.StartBlock, .. m, MllpFraming.EndBlock, MllpFraming.CarriageReturn]).ToArray(), ct);
        var (exit, output, error) = await PythonHl7.RunAsync(PythonHl7.MllpSend!, ["--file", file, "--port", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], TimeSpan.FromMinutes(3), ct);
        Assert.True(exit == 0, $"mllp_send exited with {exit}: {error}");
        Assert.Equal(messages.Count, output.Split('\x1c').Count(a => a.Contains("MSA|AA|", StringComparison.Ordinal)));
    }

    /// <summary>100 SupplyDeliveries: 40 one by one, 60 in six transaction Bundles of ten.</summary>
    private async Task PostFhirAsync(SinewProcess sinew, Random random, DateTimeOffset when, CancellationToken ct)
    {
        var n = 0;
        JsonObject Delivery()
        {
            n++;
            var department = Departments.Keys.ElementAt(random.Next(Departments.Count));
            var product = Products[random.Next(Products.Length)];
            var quantity = random.Next(1, 20);
            Add(product, Departments[department], quantity);
            return new JsonObject
            {
                ["resourceType"] = "SupplyDelivery",
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:genhosp:supply", ["value"] = $"SD-{n}" }),
                ["status"] = "completed",
                ["patient"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:genhosp:mrn", ["value"] = $"MRN-{Canary}-F{n}" }, ["display"] = $"{Canary} Patient" },
                ["suppliedItem"] = new JsonObject
                {
                    ["quantity"] = new JsonObject { ["value"] = quantity },
                    ["itemCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:genhosp:supply", ["code"] = SupplyCodes[product] }) },
                },
                ["occurrenceDateTime"] = when.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
                ["destination"] = new JsonObject { ["identifier"] = new JsonObject { ["value"] = department } },
            };
        }
        for (var i = 0; i < 40; i++)
        {
            using var content = new StringContent(Delivery().ToJsonString(), Encoding.UTF8, "application/fhir+json");
            using var response = await sinew.Http.PostAsync("/fhir/SupplyDelivery", content, ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        for (var b = 0; b < 6; b++)
        {
            var entries = new JsonArray();
            for (var i = 0; i < 10; i++)
            {
                entries.Add(new JsonObject { ["resource"] = Delivery(), ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "SupplyDelivery" } });
            }
            var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
            using var content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json");
            using var response = await sinew.Http.PostAsync("/fhir", content, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<long> DeliveredAsync(SinewProcess sinew, string channel, string destination)
    {
        var queues = await sinew.Http.GetFromJsonAsync<JsonArray>("/api/v1/queues");
        return queues!.Where(q => (string?)q!["channel"] == channel && (string?)q["destination"] == destination).Sum(q => (long)q!["delivered"]!);
    }

    private static async Task<bool> QueuesEmptyAsync(SinewProcess sinew)
    {
        var queues = await sinew.Http.GetFromJsonAsync<JsonArray>("/api/v1/queues");
        return queues!.All(q => (long)q!["depth"]! == 0);
    }

    private static async Task<List<(long Id, string Error)>> WaitForFailedAsync(SinewProcess sinew, int count, CancellationToken ct)
    {
        List<(long, string)> failed = [];
        await WaitAsync(async () =>
        {
            var page = await sinew.Http.GetFromJsonAsync<JsonObject>("/api/v1/messages?channel=supply-dft&status=failed&limit=100", ct);
            failed = [.. page!["items"]!.AsArray().Select(m => ((long)m!["id"]!, (string?)m["error"] ?? ""))];
            return failed.Count >= count;
        }, "the unknown-code messages in the exception queue", ct);
        return failed;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, CancellationToken ct, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited too long for {what}");
            }
            await Task.Delay(250, ct);
        }
    }
}

/// <summary><c>sinew test</c> on the shipped sample: every example passes; a wrong expectation is a field-level failure and exit 1.</summary>
public sealed class MappingTestCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SinewTest_Sample_PassesEveryExample()
    {
        var (exit, output, error) = await SinewProcess.RunCliAsync("test", "--config", Path.Combine(SinewProcess.RepoRoot, "samples", "supply-consumption"));

        Assert.True(exit == 0, output + error);
        Assert.Contains("PASS supply-dft/dft-p03.yaml/two-lines.hl7", output, StringComparison.Ordinal);
        Assert.Contains("2 mapping(s): 5 passed, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinewTest_WrongExpectation_PrintsTheFieldAndFails()
    {
        var source = Path.Combine(SinewProcess.RepoRoot, "samples", "supply-consumption");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = _folder.Combine("config", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var expected = _folder.Combine("config", "channels", "supply-dft", "dft-p03.examples", "two-lines.expected.json");
        File.WriteAllText(expected, File.ReadAllText(expected).Replace("\"quantity\": 2,", "\"quantity\": 3,", StringComparison.Ordinal));

        var (exit, output, _) = await SinewProcess.RunCliAsync("test", "--config", _folder.Combine("config"));

        Assert.Equal(1, exit);
        Assert.Contains("FAIL supply-dft/dft-p03.yaml/two-lines.hl7", output, StringComparison.Ordinal);
        Assert.Contains("[0].lines[0].quantity: expected 3, got 2", output, StringComparison.Ordinal);
    }
}
