using Hl7.Fhir.Model;

namespace Sinew.Fhir.Validation;

/// <summary>
/// What a SupplyDelivery must say for Sinew to record a consumption: which item (a coded
/// <c>suppliedItem.itemCodeableConcept</c>), how many (<c>suppliedItem.quantity</c> above 0), when
/// (<c>occurrenceDateTime</c>, or <c>occurrencePeriod.start</c>) and where (<c>destination</c>, by reference or identifier). FHIR itself makes all optional.
/// </summary>
public static class SupplyDeliveryRules
{
    /// <summary>The problems of <paramref name="delivery"/>, with paths under <paramref name="path"/> (<c>SupplyDelivery</c> or <c>Bundle.entry[2].resource</c>).</summary>
    public static IEnumerable<FhirIssue> Check(SupplyDelivery delivery, string path = "SupplyDelivery")
    {
        if (delivery.Status is null)
        {
            yield return Required($"{path}.status", "status is required (e.g. completed)");
        }
        var item = delivery.SuppliedItem;
        if (item is null)
        {
            yield return Required($"{path}.suppliedItem", "suppliedItem is required: it says what was supplied and how many");
        }
        else
        {
            foreach (var issue in CheckItem(item, $"{path}.suppliedItem"))
            {
                yield return issue;
            }
        }
        foreach (var issue in CheckOccurrence(delivery.Occurrence, path))
        {
            yield return issue;
        }
        var destination = delivery.Destination;
        if (destination is null)
        {
            yield return Required($"{path}.destination", "destination is required: the location the supplies went to (a reference such as Location/ward-3, or an identifier)");
        }
        else if (string.IsNullOrWhiteSpace(destination.Reference) && string.IsNullOrWhiteSpace(destination.Identifier?.Value))
        {
            yield return Required($"{path}.destination", "destination must have a reference (e.g. Location/ward-3) or an identifier with a value");
        }
    }

    private static IEnumerable<FhirIssue> CheckItem(SupplyDelivery.SuppliedItemComponent item, string path)
    {
        var quantity = item.Quantity;
        if (quantity is null)
        {
            yield return Required($"{path}.quantity", "suppliedItem.quantity is required: how many were supplied");
        }
        else if (quantity.Value is not { } value)
        {
            yield return Required($"{path}.quantity.value", "suppliedItem.quantity.value is required");
        }
        else if (value <= 0)
        {
            yield return FhirIssue.Error(OperationOutcome.IssueType.Value, $"suppliedItem.quantity.value must be greater than 0 (was {value})", $"{path}.quantity.value");
        }
        switch (item.Item)
        {
            case null:
                yield return Required($"{path}.item[x]", "suppliedItem.itemCodeableConcept is required: the coded item that was supplied");
                break;
            case ResourceReference:
                yield return FhirIssue.Error(OperationOutcome.IssueType.NotSupported, "suppliedItem.itemReference is not supported; send the item as itemCodeableConcept with a coding that has a code", $"{path}.itemReference");
                break;
            case CodeableConcept concept when !concept.Coding.Any(c => !string.IsNullOrWhiteSpace(c.Code)):
                yield return Required($"{path}.itemCodeableConcept.coding", "suppliedItem.itemCodeableConcept needs a coding with a code (the item code)");
                break;
        }
    }

    /// <summary>When: a dateTime, or a period's start (what the consumption is booked at); a Timing names no single time.</summary>
    private static IEnumerable<FhirIssue> CheckOccurrence(DataType? occurrence, string path)
    {
        switch (occurrence)
        {
            case null:
                yield return Required($"{path}.occurrence[x]", "occurrence[x] is required: when the supplies were delivered (occurrenceDateTime, or occurrencePeriod with a start)");
                break;
            case FhirDateTime dateTime when string.IsNullOrWhiteSpace(dateTime.Value):
                yield return Required($"{path}.occurrenceDateTime", "occurrenceDateTime needs a value");
                break;
            case Period period when string.IsNullOrWhiteSpace(period.Start):
                yield return Required($"{path}.occurrencePeriod.start", "occurrencePeriod needs a start (when the supplies were used)");
                break;
            case Timing:
                yield return FhirIssue.Error(OperationOutcome.IssueType.NotSupported, "occurrenceTiming is not supported; send occurrenceDateTime or occurrencePeriod with a start", $"{path}.occurrenceTiming");
                break;
        }
    }

    private static FhirIssue Required(string expression, string diagnostics) =>
        FhirIssue.Error(OperationOutcome.IssueType.Required, diagnostics, expression);
}
