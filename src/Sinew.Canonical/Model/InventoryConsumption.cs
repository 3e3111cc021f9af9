namespace Sinew.Canonical.Model;

/// <summary>
/// Supplies used in care at one place and time (a DFT^P03 with FT1 supply lines, a FHIR SupplyDelivery, a pharmacy
/// dispense), ready to post to the ERP as stock leaving a storage location.
/// </summary>
[CanonicalSchema("InventoryConsumption", 1)]
public sealed record InventoryConsumption
{
    /// <summary>The source system's id of this consumption (FT1-2 transaction id, SupplyDelivery id).</summary>
    [Sensitivity(Sensitivity.Internal)]
    public required string ConsumptionId { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The sending application (MSH-3, the FHIR client), for tracing a posting back.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public string? SourceSystem { get; init; }

    /// <summary>The clinical department or location as the source named it.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public string? ClinicalLocation { get; init; }

    /// <summary>The ERP storage location the stock is taken from (crosswalked).</summary>
    [Sensitivity(Sensitivity.Internal)]
    public required string StorageLocation { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? CostCenter { get; init; }

    /// <summary>The visit the supplies were used in: patient-linked, so PHI.</summary>
    [Sensitivity(Sensitivity.Phi)]
    public string? EncounterId { get; init; }

    [Sensitivity(Sensitivity.Phi)]
    public string? PatientId { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public required IReadOnlyList<ConsumptionLine> Lines { get; init; }
}

/// <summary>One item used: how many of what.</summary>
public sealed record ConsumptionLine
{
    /// <summary>The clinical system's supply or charge code.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public required string ItemCode { get; init; }

    /// <summary>The ERP product code (crosswalked from <see cref="ItemCode"/>).</summary>
    [Sensitivity(Sensitivity.Internal)]
    public required string ErpProduct { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public string? Description { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public required decimal Quantity { get; init; }

    /// <summary>Unit of measure symbol in the ERP (e.g. <c>u</c>); absent means the product's default unit.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public string? Unit { get; init; }
}
