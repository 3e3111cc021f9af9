using System.Text;
using System.Text.Json.Nodes;
using Sinew.Engine.Config;

namespace Sinew.Mapping.Tests;

public sealed class MapperTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (MappingDefinition? Mapping, ConfigDiagnostics Diagnostics) TryLoad(string yaml)
    {
        var diagnostics = new ConfigDiagnostics();
        var mapping = MappingDefinition.Load(Write("m.yaml", yaml), diagnostics, Repo.Context(_folder.Path));
        return (mapping, diagnostics);
    }

    private Mapper Load(string yaml)
    {
        var (mapping, diagnostics) = TryLoad(yaml);
        Assert.True(mapping is not null, string.Join(Environment.NewLine, diagnostics.Errors));
        return new Mapper(mapping!);
    }

    private const string Items = "supplyCode,erpProduct\nA1,P-A1\n\"B,2\",\"P \"\"B\"\"\"\n";

    private string JsonMapping(string extra = "") => $$"""
        produces: InventoryConsumption/1
        input: json
        timeZone: America/New_York
        crosswalks:
          items: { file: items.csv, key: supplyCode, missing: "no ERP product for supply code {key}" }
        fields:
          consumptionId: id
          occurredAt: datetime(at, 'yyyy-MM-dd HH:mm')
          storageLocation: upper(trim(where))
          patientId: patient.mrn
        {{extra}}  lines:
            each: items
            fields:
              itemCode: code
              erpProduct: lookup('items', code, 'erpProduct')
              quantity: number(qty)
        """;

    [Fact]
    public void Json_WithCrosswalkAndTimeZone_ProducesTheCanonicalRecord()
    {
        Write("items.csv", Items);
        var mapper = Load(JsonMapping());
        var body = """{"id":"c-1","at":"2026-01-15 08:30","where":" icu ","patient":{"mrn":"M1"},"items":[{"code":"A1","qty":"2"},{"code":"B,2","qty":0.5}]}""";

        var result = mapper.Map(Encoding.UTF8.GetBytes(body));

        Assert.True(result.Succeeded, result.Error);
        var record = Assert.Single(result.Records);
        Assert.Equal("InventoryConsumption/1", (string?)record["schema"]);
        Assert.Equal("2026-01-15T08:30:00-05:00", (string?)record["occurredAt"]);
        Assert.Equal("ICU", (string?)record["storageLocation"]);
        Assert.Equal("P \"B\"", (string?)record["lines"]![1]!["erpProduct"]);
        Assert.Equal(0.5m, (decimal)record["lines"]![1]!["quantity"]!);
    }

    [Fact]
    public void MissingCrosswalkRow_FailsWithTheTablesWordingAndTheField()
    {
        Write("items.csv", Items);
        var mapper = Load(JsonMapping());
        var body = """{"id":"c-1","at":"2026-01-15 08:30","where":"ICU","items":[{"code":"A1","qty":1},{"code":"ZZ9","qty":1}]}""";

        var result = mapper.Map(Encoding.UTF8.GetBytes(body));

        Assert.Equal("lines[1].erpProduct: no ERP product for supply code ZZ9", result.Error);
    }

    [Fact]
    public void CrosswalkFileEdited_TheNewRowIsUsedWithoutARestart()
    {
        var items = Write("items.csv", Items);
        var mapper = Load(JsonMapping());
        var body = Encoding.UTF8.GetBytes("""{"id":"c-1","at":"2026-01-15 08:30","where":"ICU","items":[{"code":"NEW","qty":1}]}""");
        Assert.False(mapper.Map(body).Succeeded);

        File.AppendAllText(items, "NEW,P-NEW\n");
        File.SetLastWriteTimeUtc(items, DateTime.UtcNow.AddMinutes(1));
        Thread.Sleep(1100); // the file is checked at most once a second

        var result = mapper.Map(body);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("P-NEW", (string?)result.Records[0]["lines"]![0]!["erpProduct"]);
    }

    [Fact]
    public void RequiredFieldWithoutValue_SaysWhichFieldAndWhichExpression()
    {
        Write("items.csv", Items);
        var mapper = Load(JsonMapping());

        var result = mapper.Map(Encoding.UTF8.GetBytes("""{"id":"c-1","at":"2026-01-15 08:30","items":[{"code":"A1","qty":1}]}"""));

        Assert.Equal("storageLocation: required, but 'upper(trim(where))' has no value", result.Error);
    }

    [Fact]
    public void NotANumber_IsAFieldLevelError()
    {
        Write("items.csv", Items);
        var mapper = Load(JsonMapping());

        var result = mapper.Map(Encoding.UTF8.GetBytes("""{"id":"c-1","at":"2026-01-15 08:30","where":"ICU","items":[{"code":"A1","qty":"two"}]}"""));

        Assert.Equal("lines[0].quantity: 'two' is not a number (number(qty))", result.Error);
    }

    [Fact]
    public void UnknownTargetField_IsALoadErrorWithTheLine()
    {
        Write("items.csv", Items);

        var (mapping, diagnostics) = TryLoad(JsonMapping("  patientNmae: name\n"));

        Assert.Null(mapping);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Contains("has no field 'patientNmae'", error.Message, StringComparison.Ordinal);
        Assert.Equal(11, error.Line);
    }

    [Fact]
    public void UnknownFunctionOrBadArity_IsALoadError()
    {
        Write("items.csv", Items);

        var (_, diagnostics) = TryLoad(JsonMapping("  costCenter: default(x)\n"));

        Assert.Contains(diagnostics.Errors, e => e.Message.Contains("default() takes 2 argument(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void RequiredFieldNotMapped_IsALoadError()
    {
        var (_, diagnostics) = TryLoad("""
            produces: InventoryConsumption/1
            input: json
            fields:
              consumptionId: id
            """);

        Assert.Contains(diagnostics.Errors, e => e.Message.Contains("'storageLocation'", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_EachRowIsARecord()
    {
        var mapper = Load("""
            produces: Item/1
            input: csv
            fields:
              code: Code
              name: trim(Name)
              unitCost: number(Cost)
              active: if(eq(Status, 'A'), 'true', 'false')
            """);

        var result = mapper.Map(Encoding.UTF8.GetBytes("Code,Name,Cost,Status\r\nG1, Gauze ,1.25,A\r\nG2,Gloves,0.10,X\r\n"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Records.Count);
        Assert.Equal("Gauze", (string?)result.Records[0]["name"]);
        Assert.False((bool)result.Records[1]["active"]!);
    }

    [Fact]
    public void Hl7_RepetitionsAndSegmentOccurrences_AreAddressable()
    {
        var mapper = Load("""
            produces: EncounterEvent/1
            input: hl7v2
            fields:
              event: if(eq(MSH-9.2, 'A03'), 'discharge', 'admit')
              occurredAt: datetime(EVN-2)
              encounterId: PV1-19
              patientId: PID-3[2].1
              location: concat(PV1-3.1, '/', PV1-3.2)
            """);
        var message = "MSH|^~\\&|A|B|C|D|20260101120000||ADT^A03|X1|P|2.5\rEVN|A03|20260101115900+0100\rPID|1||first^^^H^MR~second^^^H^PI\rPV1|1|I|W1^12||||||||||||||||ENC9\r";

        var result = mapper.Map(Encoding.ASCII.GetBytes(message));

        Assert.True(result.Succeeded, result.Error);
        var record = result.Records[0];
        Assert.Equal("discharge", (string?)record["event"]);
        Assert.Equal("second", (string?)record["patientId"]);
        Assert.Equal("2026-01-01T11:59:00+01:00", (string?)record["occurredAt"]);
        Assert.Equal("W1/12", (string?)record["location"]);
    }

    [Fact]
    public void Fhir_NotAResource_FailsClearly()
    {
        var mapper = new Mapper(Repo.Load(Path.Combine(Repo.Samples, "supply-fhir", "supply-delivery.yaml")));

        var result = mapper.Map(Encoding.UTF8.GetBytes("""{"resourceType":"Nonsense"}"""));

        Assert.StartsWith("the message is not a FHIR resource", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ReportsEachDifferingField()
    {
        var differences = new List<string>();
        MappingExamples.Compare(JsonNode.Parse("""[{"a":1,"b":{"c":"x"},"l":[1,2]}]"""), JsonNode.Parse("""[{"a":1.0,"b":{"c":"y"},"l":[1],"z":true}]"""), "", differences);

        Assert.Equal(["[0].b.c: expected \"x\", got \"y\"", "[0].l[1]: expected 2, but it is missing", "[0].z: not expected, got true"], differences);
    }
}
