using System.Text;
using System.Text.Json.Nodes;
using Sinew.Canonical;

namespace Sinew.Mapping.Tests;

public sealed class CanonicalTests
{
    private const string Record = """[{"schema":"InventoryConsumption/1","consumptionId":"c1","occurredAt":"2026-01-01T00:00:00+00:00","storageLocation":"WH","patientId":"MRN-CANARY","encounterId":"ENC-CANARY","lines":[{"itemCode":"A","erpProduct":"P","quantity":1,"description":"Gauze"}]}]""";

    [Fact]
    public void Drop_AboveInternal_RemovesThePatientFieldsOnly()
    {
        var (payload, removed) = SensitivityPolicy.Drop(Encoding.UTF8.GetBytes(Record), Sensitivity.Internal);

        var text = Encoding.UTF8.GetString(payload);
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        Assert.Contains("\"storageLocation\":\"WH\"", text, StringComparison.Ordinal);
        Assert.Contains("Gauze", text, StringComparison.Ordinal);
        Assert.Equal(["patientId", "encounterId"], removed);
    }

    [Fact]
    public void Drop_AtPublic_RemovesEveryInternalField()
    {
        var (payload, _) = SensitivityPolicy.Drop(Encoding.UTF8.GetBytes(Record), Sensitivity.Public);

        var record = JsonNode.Parse(payload)![0]!.AsObject();
        Assert.Equal(["schema"], record.Select(p => p.Key));
    }

    [Fact]
    public void Drop_UnknownSchemaOrFields_AreNotPassedUnclassified()
    {
        Assert.Throws<InvalidDataException>(() => SensitivityPolicy.Drop("""[{"schema":"Nope/9","x":1}]"""u8, Sensitivity.Restricted));
        var (payload, removed) = SensitivityPolicy.Drop("""[{"schema":"Item/1","code":"c","name":"n","secret":"s"}]"""u8, Sensitivity.Phi);
        Assert.Equal(["secret"], removed);
        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSchema_OfEveryType_MarksEveryFieldWithItsClass()
    {
        foreach (var type in CanonicalCatalog.All)
        {
            var schema = type.JsonSchema();
            Assert.Equal(type.Id, (string?)schema["title"]);
            foreach (var (name, field) in schema["properties"]!.AsObject())
            {
                Assert.True(field?["x-sensitivity"] is not null, $"{type.Id}.{name} has no x-sensitivity");
            }
        }
        var consumption = CanonicalCatalog.Find("InventoryConsumption/1")!.JsonSchema();
        Assert.Equal("phi", (string?)consumption["properties"]!["patientId"]!["x-sensitivity"]);
        Assert.Contains("storageLocation", consumption["required"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public void Normalize_UnknownFieldOrWrongType_IsRefusedWithThePath()
    {
        var type = CanonicalCatalog.Find("Item/1")!;

        var (_, unknown) = CanonicalCatalog.Normalize(type, JsonNode.Parse("""{"code":"c","name":"n","colour":"red"}""")!.AsObject());
        var (_, wrong) = CanonicalCatalog.Normalize(type, JsonNode.Parse("""{"code":"c","name":"n","unitCost":"cheap"}""")!.AsObject());

        Assert.Contains("colour", unknown, StringComparison.Ordinal);
        Assert.StartsWith("does not fit Item/1: unitCost", wrong, StringComparison.Ordinal);
    }
}

public sealed class PublishedSchemaTests
{
    [Fact]
    public void DocsSchemas_AreWhatTheCodeProduces()
    {
        // Regenerate with: dotnet run --project src/Sinew.Cli -- schemas --out docs/schemas
        var folder = Path.Combine(Repo.Root, "docs", "schemas");
        foreach (var type in CanonicalCatalog.All)
        {
            var file = Path.Combine(folder, $"{type.Name}.v{type.Version}.schema.json");
            Assert.True(File.Exists(file), $"{file} is missing");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(file)), type.JsonSchema()), $"{file} is stale");
        }
    }
}
