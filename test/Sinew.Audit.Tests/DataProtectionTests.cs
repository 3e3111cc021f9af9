using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bundle = Hl7.Fhir.Model.Bundle;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;
using Hl7.Fhir.Serialization;
using Microsoft.Data.Sqlite;

namespace Sinew.Audit.Tests;

/// <summary>Encryption at rest, the PHI policy and the audit chain, through the real <c>sinew</c> process and CLI.</summary>
public sealed class DataProtectionTests : IDisposable
{
    private const string Canary = "CANARY-PHI-93b1";
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Config => _folder.Combine("config");

    private string Data => _folder.Combine("data");

    private string Key(string name) => _folder.Key(name);

    private static string Record(string patient) =>
        $$"""[{"schema":"InventoryConsumption/1","consumptionId":"c-{{Guid.NewGuid():N}}","occurredAt":"2026-01-01T00:00:00+00:00","storageLocation":"WH","patientId":"{{patient}}","lines":[{"itemCode":"A","erpProduct":"P","quantity":1}]}]""";

    private static async Task PostAsync(SinewProcess sinew, string channel, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await sinew.Http.PostAsync($"in/{channel}", content, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<string[]> WaitForFilesAsync(string folder, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder).Length >= count)
            {
                await System.Threading.Tasks.Task.Delay(100, Ct);
                return Directory.GetFiles(folder).Select(File.ReadAllText).ToArray();
            }
            await System.Threading.Tasks.Task.Delay(100, Ct);
        }
        throw new TimeoutException($"fewer than {count} file(s) in {folder}");
    }

    private static async Task<JsonElement> WaitForExceptionsAsync(SinewProcess sinew, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var exceptions = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/exceptions", Ct);
            if (exceptions.GetArrayLength() >= count)
            {
                return exceptions;
            }
            await System.Threading.Tasks.Task.Delay(100, Ct);
        }
        throw new TimeoutException("the exception queue stayed short");
    }

    private byte[] DataFolderBytes() => DiskBytes.Of(Directory.EnumerateFiles(Data, "journal.db*"));

    [Fact]
    public async System.Threading.Tasks.Task Encryption_CanaryMessages_NotInClearOnDiskAndReadableAfterRotationWithoutTheOldKey()
    {
        var kek1 = Key("kek1");
        var kek2 = Key("kek2");
        _folder.Write("config/sinew.yaml", $"encryption:\n  keys:\n    - {{ id: kek-1, key: '{kek1}' }}\n  active: kek-1\n");
        _folder.Write("config/channels/raw.yaml", "name: raw\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out, extension: .txt, maxSensitivity: phi}]\n");
        var ids = new List<long>();
        await using (var sinew = await SinewProcess.StartAsync(Config, Data))
        {
            for (var i = 0; i < 5; i++)
            {
                await PostAsync(sinew, "raw", $"MSH|^~\\&|A|B\rPID|1||{Canary}-{i}", "text/plain");
            }
            await WaitForFilesAsync(Path.Combine(Data, "out"), 5);
            var page = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?channel=raw", Ct);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
            Assert.Equal(-1, DataFolderBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(Canary)));
            var detail = await sinew.Http.GetStringAsync($"api/v1/messages/{ids[0]}", Ct);
            Assert.Contains(Canary, detail, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted", sinew.Output, StringComparison.Ordinal);
        }

        // Rotation: the new key becomes active beside the old one, the rows are re-wrapped, then the old key goes.
        _folder.Write("config/sinew.yaml", $"encryption:\n  keys:\n    - {{ id: kek-1, key: '{kek1}' }}\n    - {{ id: kek-2, key: '{kek2}' }}\n  active: kek-2\n");
        await using (var running = await SinewProcess.StartAsync(Config, Data))
        {
            var (exit, output, error) = await SinewProcess.RunCliAsync("keys", "rotate", "--data", Data, "--config", Config, "--batch", "2");
            Assert.True(exit == 0, output + error);
            Assert.Contains("under key 'kek-2'", output, StringComparison.Ordinal);
        }
        _folder.Write("config/sinew.yaml", $"encryption:\n  keys:\n    - {{ id: kek-2, key: '{kek2}' }}\n  active: kek-2\n");
        await using (var after = await SinewProcess.StartAsync(Config, Data))
        {
            foreach (var id in ids)
            {
                var detail = await after.Http.GetStringAsync($"api/v1/messages/{id}", Ct);
                Assert.Contains(Canary, detail, StringComparison.Ordinal);
            }
        }
        var verify = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--format", "jsonl");
        Assert.Contains("key.rotate", export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task PolicyBlockAndTokenize_CanonicalPhi_BlockedToExceptionQueueAuditedAndTokenizedElsewhere()
    {
        _folder.Write("config/sinew.yaml", $"tokenization:\n  keys:\n    - {{ version: 1, key: '{Key("tok1")}' }}\n  active: 1\n");
        _folder.Write("config/channels/supply.yaml", """
            name: supply
            # Canonical records posted straight to an HTTP source: no map step, so the raw class is declared and each
            # record is still filtered field by field against every destination's class.
            contentSensitivity: internal
            source: {type: http}
            destinations:
              - {name: erp, type: file, path: erp, extension: .json, maxSensitivity: internal, phiAction: block}
              - {name: research, type: file, path: research, extension: .json, maxSensitivity: internal, phiAction: tokenize}
              - {name: events, type: file, path: events, extension: .json, maxSensitivity: internal}
            """);
        await using var sinew = await SinewProcess.StartAsync(Config, Data);
        await PostAsync(sinew, "supply", Record(Canary), "application/vnd.sinew.canonical+json");

        var research = await WaitForFilesAsync(Path.Combine(Data, "research"), 1);
        var events = await WaitForFilesAsync(Path.Combine(Data, "events"), 1);
        Assert.DoesNotContain(Canary, research[0], StringComparison.Ordinal);
        Assert.Matches("\"patientId\":\"tok:v1:[A-Z2-7]{32}\"", research[0]);
        Assert.DoesNotContain("patientId", events[0], StringComparison.Ordinal);
        var blocked = (await WaitForExceptionsAsync(sinew, 1)).EnumerateArray().Single();
        Assert.Equal("erp", blocked.GetProperty("destination").GetString());
        Assert.Contains("patientId", blocked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, blocked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Data, "erp")) && Directory.GetFiles(Path.Combine(Data, "erp")).Length > 0);

        // The FHIR view of the audit log parses with Firely and holds the block, without the identifier.
        using var response = await sinew.Http.GetAsync("fhir/AuditEvent?date=ge2020-01-01&_count=10", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(Canary, json, StringComparison.Ordinal);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        var audit = bundle.Entry.Select(e => e.Resource).OfType<AuditEvent>().Single(a => a.Subtype.Any(s => s.Code == "policy.block"));
        Assert.Equal("110113", audit.Type.Code);
        Assert.Contains(audit.Entity, e => e.What?.Identifier?.Value is { } id && id.Length > 0 && e.What.Display!.StartsWith("message/", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, sinew.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task FhirPassThrough_SupplyDeliveryWithCanaryPatient_FileHasTokenAndNoCanary()
    {
        _folder.Write("config/sinew.yaml", $"tokenization:\n  keys:\n    - {{ version: 1, key: '{Key("tok1")}' }}\n  active: 1\n");
        _folder.Write("config/channels/supply.yaml", """
            name: supply
            source: {type: fhir, resources: [SupplyDelivery]}
            destinations:
              - name: analytics
                type: file
                path: analytics
                extension: .json
                maxSensitivity: phi
                deidentify:
                  drop: [SupplyDelivery.patient.display]
                  tokenize: [patient.identifier.value]
            """);
        var delivery = $$$"""
            {"resourceType":"SupplyDelivery","status":"completed",
             "patient":{"identifier":{"system":"urn:mrn","value":"{{{Canary}}}-ID"},"display":"{{{Canary}}}-NAME Patientname"},
             "suppliedItem":{"quantity":{"value":2},"itemCodeableConcept":{"coding":[{"system":"urn:items","code":"SUP-1"}]}},
             "occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}
            """;
        await using var sinew = await SinewProcess.StartAsync(Config, Data);
        using (var content = new StringContent(delivery, Encoding.UTF8, "application/fhir+json"))
        using (var created = await sinew.Http.PostAsync("fhir/SupplyDelivery", content, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var output = (await WaitForFilesAsync(Path.Combine(Data, "analytics"), 1))[0];
        Assert.DoesNotContain(Canary, output, StringComparison.Ordinal);
        var written = new FhirJsonDeserializer().Deserialize<Hl7.Fhir.Model.SupplyDelivery>(output);
        Assert.Matches("^tok:v1:[A-Z2-7]{32}$", written.Patient!.Identifier!.Value);
        Assert.Equal("urn:mrn", written.Patient!.Identifier!.System);
        Assert.Null(written.Patient!.Display);
        Assert.Equal("Location/ICU", written.Destination!.Reference);
        Assert.Equal(2m, written.SuppliedItem!.Quantity!.Value);
        Assert.Equal("SUP-1", ((Hl7.Fhir.Model.CodeableConcept)written.SuppliedItem!.Item!).Coding[0].Code);
        Assert.DoesNotContain(Canary, sinew.Output, StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> AuditRecordsAsync(string action)
    {
        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--format", "jsonl");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        return export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("record"))
            .Where(r => r.GetProperty("action").GetString() == action).ToList();
    }

    [Fact]
    public async System.Threading.Tasks.Task ConfigChange_EditedChannelBetweenStarts_RecordedOnceNamingTheFileAndUnchangedRestartAddsNothing()
    {
        _folder.Write("config/sinew.yaml", "http: {listen: 127.0.0.1:0}\n");
        _folder.Write("config/channels/a.yaml", "name: a\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out-a, maxSensitivity: phi}]\n");
        _folder.Write("config/channels/b.yaml", "name: b\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out-b, maxSensitivity: phi}]\n");
        await using (var first = await SinewProcess.StartAsync(Config, Data))
        {
            Assert.Equal(0, await first.StopAsync());
        }
        var afterFirst = await AuditRecordsAsync("config.change");
        var initial = Assert.Single(afterFirst);
        Assert.Equal("sinew", initial.GetProperty("actor").GetString());
        Assert.StartsWith("config/", initial.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Contains("channels/a.yaml", initial.GetProperty("reason").GetString(), StringComparison.Ordinal);

        _folder.Write("config/channels/b.yaml", "name: b\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out-b2, maxSensitivity: phi}]\n");
        await using (var second = await SinewProcess.StartAsync(Config, Data))
        {
            Assert.Equal(0, await second.StopAsync());
        }
        var afterEdit = await AuditRecordsAsync("config.change");
        Assert.Equal(2, afterEdit.Count);
        var edited = afterEdit[1].GetProperty("reason").GetString()!;
        Assert.Contains("files: channels/b.yaml", edited, StringComparison.Ordinal);
        Assert.DoesNotContain("a.yaml", edited, StringComparison.Ordinal);
        Assert.DoesNotContain("out-b2", edited, StringComparison.Ordinal);
        Assert.NotEqual(initial.GetProperty("target").GetString(), afterEdit[1].GetProperty("target").GetString());

        await using (var third = await SinewProcess.StartAsync(Config, Data))
        {
            Assert.Equal(0, await third.StopAsync());
        }
        Assert.Equal(2, (await AuditRecordsAsync("config.change")).Count);
        var verify = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async System.Threading.Tasks.Task ApiKeyCli_CreateAndRevokeOnDataFolder_AuditedWithIdNeverSecret()
    {
        Directory.CreateDirectory(Data);
        _folder.Write("config/sinew.yaml", $"audit:\n  key: '{Key("audit")}'\n");
        var created = await SinewProcess.RunCliAsync("apikey", "create", "--name", "erp-feed", "--role", "operator", "--data", Data, "--config", Config);
        Assert.True(created.ExitCode == 0, created.Output + created.Error);
        var id = System.Text.RegularExpressions.Regex.Match(created.Output, "API key (\\S+) created").Groups[1].Value;
        var secret = created.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.NotEmpty(id);

        // A keyed chain without its key: refused before the key operation is made.
        var withoutKey = await SinewProcess.RunCliAsync("apikey", "revoke", id, "--data", Data);
        Assert.Equal(2, withoutKey.ExitCode);
        Assert.Contains("--config", withoutKey.Error, StringComparison.Ordinal);

        var revoked = await SinewProcess.RunCliAsync("apikey", "revoke", id, "--data", Data, "--config", Config);
        Assert.True(revoked.ExitCode == 0, revoked.Output + revoked.Error);
        var unknown = await SinewProcess.RunCliAsync("apikey", "revoke", "nosuchkey", "--data", Data, "--config", Config);
        Assert.Equal(2, unknown.ExitCode);

        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--config", Config, "--format", "jsonl");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        var records = export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("record")).ToList();
        Assert.Equal(["apikey.create", "apikey.revoke", "apikey.revoke"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal([$"apikey/{id}", $"apikey/{id}", "apikey/nosuchkey"], records.Select(r => r.GetProperty("target").GetString()));
        Assert.Equal(["success", "success", "failure"], records.Select(r => r.GetProperty("outcome").GetString()));
        Assert.All(records, r => Assert.StartsWith("local-admin:", r.GetProperty("actor").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain(secret, export.Output, StringComparison.Ordinal);
        var list = await SinewProcess.RunCliAsync("apikey", "list", "--data", Data);
        Assert.Contains("revoked", list.Output, StringComparison.Ordinal);
        var verify = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data, "--config", Config);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Contains("(HMAC-SHA256)", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Hl7OnlyProfile_JsonContent_GoesToTheExceptionQueueNotBelowPhiUnchanged()
    {
        _folder.Write("config/sinew.yaml", "http: {listen: 127.0.0.1:0}\n");
        _folder.Write("config/channels/mixed.yaml", """
            name: mixed
            source: {type: http}
            destinations:
              - name: analytics
                type: file
                path: analytics
                extension: .txt
                maxSensitivity: internal
                deidentify: {drop: [PID-3, PID-5]}
            """);
        await using var sinew = await SinewProcess.StartAsync(Config, Data);

        await PostAsync(sinew, "mixed", $"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1||{Canary}-ID^^^H||{Canary}-NAME^X", "application/hl7-v2");
        await PostAsync(sinew, "mixed", $$"""{"patient":"{{Canary}}-JSON"}""", "application/json");

        // The HL7 v2 message leaves de-identified; the JSON one, which the profile's HL7 paths cannot touch, does not leave.
        var blocked = (await WaitForExceptionsAsync(sinew, 1)).EnumerateArray().Single();
        Assert.Contains("HL7 v2 paths", blocked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var sent = Assert.Single(await WaitForFilesAsync(Path.Combine(Data, "analytics"), 1));
        Assert.StartsWith("MSH|", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, sent, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task AuditChain_OneRowEditedAnotherDeleted_VerifyNamesEach()
    {
        _folder.Write("config/sinew.yaml", $"encryption:\n  keys: [ {{ id: k1, key: '{Key("kek")}' }} ]\n  active: k1\ntokenization:\n  keys: [ {{ version: 1, key: '{Key("tok")}' }} ]\n  vault: true\n");
        _folder.Write("config/channels/hl7.yaml", """
            name: hl7
            source: {type: http}
            destinations:
              - name: analytics
                type: file
                path: analytics
                extension: .hl7
                maxSensitivity: phi
                deidentify: {drop: [PID-5, PID-7], tokenize: [PID-3.1]}
            """);
        await using (var sinew = await SinewProcess.StartAsync(Config, Data))
        {
            await PostAsync(sinew, "hl7", $"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1||{Canary}-ID^^^H||{Canary}-NAME^X||19700101", "application/hl7-v2");
            var output = (await WaitForFilesAsync(Path.Combine(Data, "analytics"), 1))[0];
            Assert.DoesNotContain(Canary, output, StringComparison.Ordinal);
            var token = System.Text.RegularExpressions.Regex.Match(output, "tok:r:[A-Z2-7]+").Value;
            Assert.NotEmpty(token);
            for (var i = 0; i < 4; i++)
            {
                using var resolved = await sinew.Http.PostAsJsonAsync("api/v1/tokens/resolve", new { token, reason = $"incident review {i}" }, Ct);
                Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
                Assert.Equal($"{Canary}-ID", (await resolved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("value").GetString());
            }
            using var noReason = await sinew.Http.PostAsJsonAsync("api/v1/tokens/resolve", new { token }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }
        var intact = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data);
        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        Assert.Contains("5 record(s)", intact.Output, StringComparison.Ordinal); // config.change at start, then four token.resolve

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "audit.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = """
                DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
                UPDATE audit SET reason = 'routine' WHERE seq = 2;
                DELETE FROM audit WHERE seq = 3;
                """;
            await tamper.ExecuteNonQueryAsync(Ct);
        }
        var broken = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("record 2 edited", broken.Error, StringComparison.Ordinal);
        Assert.Contains("record 3 deleted", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Restrictions_OptedOutPatient_IsFilteredAndOthersPass()
    {
        _folder.Write("config/sinew.yaml", "http: {listen: 127.0.0.1:0}\n");
        _folder.Write("config/channels/optout.csv", $"patientId\n{Canary}-OUT\n");
        _folder.Write("config/channels/adt.yaml", """
            name: adt
            source: {type: http}
            steps:
              - {name: consent, type: restrictions, file: optout.csv, key: PID-3.1, action: filter}
            destinations: [{name: out, type: file, path: out, extension: .hl7, maxSensitivity: phi}]
            """);
        await using var sinew = await SinewProcess.StartAsync(Config, Data);
        await PostAsync(sinew, "adt", $"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1||{Canary}-OUT^^^H", "application/hl7-v2");
        await PostAsync(sinew, "adt", $"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|2|P|2.5\rPID|1||{Canary}-IN^^^H", "application/hl7-v2");

        var files = await WaitForFilesAsync(Path.Combine(Data, "out"), 1);
        var filtered = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/messages?channel=adt&status=Filtered", Ct);
        Assert.Single(files);
        Assert.Contains($"{Canary}-IN", files[0], StringComparison.Ordinal);
        Assert.Equal(1, filtered.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain($"{Canary}-OUT", sinew.Output, StringComparison.Ordinal);
        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--format", "jsonl");
        Assert.Contains("policy.restrict", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Validate_MappedChannelDestinationWithoutMaxSensitivity_IsAnErrorSayingHowToFix()
    {
        _folder.Write("config/channels/mapped.yaml", """
            name: mapped
            source: {type: http}
            steps:
              - {name: to-canonical, type: map, mapping: none.yaml}
            destinations: [{name: out, type: file, path: out}]
            """);
        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", Config, "--data", Data);
        Assert.Equal(1, exit);
        Assert.Contains("mapped.yaml", error, StringComparison.Ordinal);
        Assert.Contains("add maxSensitivity", error + output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
