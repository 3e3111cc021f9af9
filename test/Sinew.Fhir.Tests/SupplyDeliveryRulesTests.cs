using System.Text;
using Hl7.Fhir.Model;
using Sinew.Fhir.Parsing;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Tests;

public sealed class SupplyDeliveryRulesTests
{
    private static SupplyDelivery Valid() =>
        (SupplyDelivery)FhirParser.Parse(Encoding.UTF8.GetBytes(Samples.Delivery()), FhirFormat.Json, 64).Resource!;

    private static FhirIssue Single(SupplyDelivery delivery) => Assert.Single(FhirValidator.Validate(delivery));

    [Fact]
    public void Validate_CompleteDelivery_HasNoIssues() => Assert.Empty(FhirValidator.Validate(Valid()));

    [Fact]
    public void Validate_DestinationByIdentifier_IsEnough()
    {
        var delivery = Valid();
        delivery.Destination = new ResourceReference { Identifier = new Identifier("http://example.org/locations", "WARD-3") };

        Assert.Empty(FhirValidator.Validate(delivery));
    }

    [Fact]
    public void Validate_NoQuantity_IsRequiredAtItsPath()
    {
        var delivery = Valid();
        delivery.SuppliedItem!.Quantity = null;

        var issue = Single(delivery);
        Assert.Equal(OperationOutcome.IssueType.Required, issue.Code);
        Assert.Equal("SupplyDelivery.suppliedItem.quantity", issue.Expression);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_QuantityNotAboveZero_IsAValueError(int value)
    {
        var delivery = Valid();
        delivery.SuppliedItem!.Quantity!.Value = value;

        var issue = Single(delivery);
        Assert.Equal(OperationOutcome.IssueType.Value, issue.Code);
        Assert.Equal("SupplyDelivery.suppliedItem.quantity.value", issue.Expression);
    }

    [Fact]
    public void Validate_ItemWithoutCode_IsRequired()
    {
        var delivery = Valid();
        delivery.SuppliedItem!.Item = new CodeableConcept { Text = "gauze" };

        Assert.Equal("SupplyDelivery.suppliedItem.itemCodeableConcept.coding", Single(delivery).Expression);
    }

    [Fact]
    public void Validate_ItemReference_IsNotSupported()
    {
        var delivery = Valid();
        delivery.SuppliedItem!.Item = new ResourceReference("Device/1");

        Assert.Equal(OperationOutcome.IssueType.NotSupported, Single(delivery).Code);
    }

    [Fact]
    public void Validate_NoOccurrence_NoStatus_NoDestination_EachNamed()
    {
        var delivery = Valid();
        delivery.Occurrence = null;
        delivery.Status = null;
        delivery.Destination = null;

        var paths = FhirValidator.Validate(delivery).Select(i => i.Expression).ToList();
        Assert.Equal(["SupplyDelivery.status", "SupplyDelivery.occurrence[x]", "SupplyDelivery.destination"], paths);
    }

    [Fact]
    public void Validate_PeriodWithStart_IsEnough_WithoutStart_IsRequired()
    {
        var delivery = Valid();
        delivery.Occurrence = new Period { Start = "2026-11-25T08:00:00Z" };
        Assert.Empty(FhirValidator.Validate(delivery));

        delivery.Occurrence = new Period { End = "2026-11-25T09:00:00Z" };
        Assert.Equal("SupplyDelivery.occurrencePeriod.start", Single(delivery).Expression);
    }

    [Fact]
    public void Validate_OccurrenceTiming_IsNotSupported()
    {
        var delivery = Valid();
        delivery.Occurrence = new Timing { Event = ["2026-11-25T08:00:00Z"] };

        var issue = Single(delivery);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.Equal("SupplyDelivery.occurrenceTiming", issue.Expression);
    }

    [Theory]
    [InlineData("one-delivery.json")]
    [InlineData("transaction-bundle.json")]
    public void Validate_SupplyConsumptionSamples_AreValid(string file)
    {
        var path = Path.Combine(SinewProcess.RepoRoot, "samples", "supply-consumption", "channels", "supply-fhir", "supply-delivery.examples", file);
        Assert.SkipUnless(File.Exists(path), $"the sample {path} is not in this checkout");

        var parsed = FhirParser.Parse(File.ReadAllBytes(path), FhirFormat.Json, 64);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Issues));
        var resources = parsed.Resource is Bundle bundle ? bundle.Entry.Select(e => e.Resource!).ToList() : [parsed.Resource!];
        Assert.All(resources, r => Assert.Empty(FhirValidator.Validate(r)));
    }

    [Fact]
    public void Validate_InsideABundle_PathsNameTheEntry()
    {
        var delivery = Valid();
        delivery.SuppliedItem!.Quantity = null;

        var issue = Assert.Single(FhirValidator.Validate(delivery, "Bundle.entry[3].resource"));
        Assert.Equal("Bundle.entry[3].resource.suppliedItem.quantity", issue.Expression);
    }

    [Fact]
    public void Validate_FirelyCardinality_IsReported()
    {
        var delivery = Valid();
        delivery.Identifier.Add(new Identifier());

        var issue = Single(delivery);
        Assert.StartsWith("SupplyDelivery.identifier", issue.Expression, StringComparison.Ordinal);
    }
}
