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
