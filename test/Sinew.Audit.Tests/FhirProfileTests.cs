using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Sinew.Audit.Policy;
using Sinew.Canonical;
using Sinew.Fhir.Parsing;

namespace Sinew.Audit.Tests;

/// <summary>The FHIRPath half of the de-identification profile on real Firely resources, JSON and XML, single and in a Bundle.</summary>
public sealed class FhirProfileTests
{
    private const string Canary = "CANARY-FHIR-7c21";
    private static readonly HmacTokenizer Tokenizer = new(new Dictionary<int, byte[]> { [1] = RandomNumberGenerator.GetBytes(32) }, 1);

    private static SupplyDelivery Delivery() => new()
    {
        Status = SupplyDelivery.SupplyDeliveryStatus.Completed,
        Patient = new ResourceReference { Identifier = new Identifier("urn:mrn", $"{Canary}-ID"), Display = $"{Canary}-NAME" },
        SuppliedItem = new SupplyDelivery.SuppliedItemComponent { Quantity = new Quantity { Value = 2 }, Item = new CodeableConcept("urn:items", "SUP-1") },
        Destination = new ResourceReference("Location/ICU"),
    };

    private static string Apply(FhirProfile profile, string body, FhirFormat format)
    {
        var result = profile.Apply(Encoding.UTF8.GetBytes(body), format, Tokenizer);
        Assert.True(result.Body is not null, result.Problem);
        return Encoding.UTF8.GetString(result.Body.Value.Span);
    }

    [Fact]
    public void Apply_SingleResourceJson_DropsAndTokenizesTheRestIntact()
    {
        var profile = new FhirProfile(["SupplyDelivery.patient.display"], ["SupplyDelivery.patient.identifier.value"]);

        var text = Apply(profile, FhirJsonSerializer.Default.SerializeToString(Delivery()), FhirFormat.Json);

        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        var back = new FhirJsonDeserializer().Deserialize<SupplyDelivery>(text);
        Assert.Equal(Tokenizer.Tokenize($"{Canary}-ID"), back.Patient!.Identifier!.Value);
        Assert.Equal("urn:mrn", back.Patient!.Identifier!.System);
        Assert.Null(back.Patient!.Display);
        Assert.Equal("Location/ICU", back.Destination!.Reference);
        Assert.Equal("SUP-1", ((CodeableConcept)back.SuppliedItem!.Item!).Coding[0].Code);
    }

    [Fact]
    public void Apply_BundleXmlWithShortAndFullPaths_ReachesEveryEntryAndStaysXml()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Delivery(), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "SupplyDelivery" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Delivery(), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "SupplyDelivery" } });
        var profile = new FhirProfile(["patient.display"], ["Bundle.entry.resource.ofType(SupplyDelivery).patient.identifier.value"]);

        var text = Apply(profile, FhirXmlSerializer.Default.SerializeToString(bundle), FhirFormat.Xml);

        Assert.StartsWith("<Bundle", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        var back = new FhirXmlDeserializer().Deserialize<Bundle>(text);
        Assert.All(back.Entry, e => Assert.Equal(Tokenizer.Tokenize($"{Canary}-ID"), ((SupplyDelivery)e.Resource!).Patient!.Identifier!.Value));
        Assert.All(back.Entry, e => Assert.Equal("Location/ICU", ((SupplyDelivery)e.Resource!).Destination!.Reference));
    }

    [Fact]
    public void Apply_TokenizeOnAnObject_RemovesItAndListElementsAreDropped()
    {
        var patient = new Patient { Name = [new HumanName { Family = $"{Canary}-FAMILY" }], Identifier = [new Identifier("urn:mrn", $"{Canary}-MRN"), new Identifier("urn:other", "KEEP")] };
        var profile = new FhirProfile(["Patient.identifier.where(system = 'urn:mrn')"], ["Patient.name"]);

        var text = Apply(profile, FhirJsonSerializer.Default.SerializeToString(patient), FhirFormat.Json);

        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        var back = new FhirJsonDeserializer().Deserialize<Patient>(text);
        Assert.Empty(back.Name);
        Assert.Equal("KEEP", Assert.Single(back.Identifier).Value);
    }

    [Fact]
    public void Apply_UnparseableFhir_IsRefused()
    {
        var result = new FhirProfile(["Patient.name"], []).Apply(Encoding.UTF8.GetBytes($"{{\"resourceType\":\"Patient\",\"name\":\"{Canary}"), FhirFormat.Json, Tokenizer);

        Assert.Null(result.Body);
        Assert.DoesNotContain(Canary, result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/fhir+json", "{}", FhirFormat.Json)]
    [InlineData("application/json", "{\"resourceType\":\"Patient\"}", FhirFormat.Json)]
    [InlineData("text/plain", "<Patient xmlns=\"http://hl7.org/fhir\"/>", FhirFormat.Xml)]
    [InlineData("application/json", "{\"mrn\":\"1\"}", null)]
    [InlineData("application/hl7-v2", "MSH|^~\\&|", null)]
    public void Detect_ByMediaTypeOrContent(string contentType, string body, FhirFormat? expected) =>
        Assert.Equal(expected, FhirProfile.Detect(contentType, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void TryCompile_BadSyntax_SaysWhy()
    {
        Assert.True(FhirProfile.TryCompile("Bundle.entry.resource.ofType(SupplyDelivery).patient", out _));
        Assert.False(FhirProfile.TryCompile("Patient.name.where(", out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
