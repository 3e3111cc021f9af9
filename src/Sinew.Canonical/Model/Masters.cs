namespace Sinew.Canonical.Model;

/// <summary>A stocked or purchased item (item master), as ERP and clinical systems both know it.</summary>
[CanonicalSchema("Item", 1)]
public sealed record Item
{
    [Sensitivity(Sensitivity.Public)]
    public required string Code { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public required string Name { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public string? Unit { get; init; }

    /// <summary>GTIN or manufacturer part number, for matching across systems.</summary>
    [Sensitivity(Sensitivity.Public)]
    public string? Gtin { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? SupplierCode { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public decimal? UnitCost { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public bool Active { get; init; } = true;
}

/// <summary>A place stock is kept or care is given: a ward's supply room, a pharmacy, a warehouse.</summary>
[CanonicalSchema("Location", 1)]
public sealed record Location
{
    [Sensitivity(Sensitivity.Public)]
    public required string Code { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public required string Name { get; init; }

    /// <summary><c>storage</c>, <c>ward</c>, <c>warehouse</c>, <c>pharmacy</c>, …</summary>
    [Sensitivity(Sensitivity.Public)]
    public string? Kind { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? CostCenter { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public string? Parent { get; init; }
}

/// <summary>The finance unit costs are booked to.</summary>
[CanonicalSchema("CostCenter", 1)]
public sealed record CostCenter
{
    [Sensitivity(Sensitivity.Internal)]
    public required string Code { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public required string Name { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? Company { get; init; }
}

/// <summary>A vendor the hospital buys from.</summary>
[CanonicalSchema("Supplier", 1)]
public sealed record Supplier
{
    [Sensitivity(Sensitivity.Public)]
    public required string Code { get; init; }

    [Sensitivity(Sensitivity.Public)]
    public required string Name { get; init; }

    /// <summary>DUNS, GLN or tax id.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public string? Identifier { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? Email { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? Phone { get; init; }
}

/// <summary>An admission, transfer or discharge (ADT), for billing triggers and bed-side stock.</summary>
[CanonicalSchema("EncounterEvent", 1)]
public sealed record EncounterEvent
{
    /// <summary><c>admit</c>, <c>transfer</c>, <c>discharge</c>, <c>cancel</c>.</summary>
    [Sensitivity(Sensitivity.Internal)]
    public required string Event { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public required DateTimeOffset OccurredAt { get; init; }

    [Sensitivity(Sensitivity.Phi)]
    public required string EncounterId { get; init; }

    [Sensitivity(Sensitivity.Phi)]
    public string? PatientId { get; init; }

    [Sensitivity(Sensitivity.Restricted)]
    public string? PatientName { get; init; }

    [Sensitivity(Sensitivity.Phi)]
    public DateOnly? BirthDate { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? Location { get; init; }

    [Sensitivity(Sensitivity.Internal)]
    public string? CostCenter { get; init; }

    /// <summary>Inpatient, outpatient, emergency (PV1-2).</summary>
    [Sensitivity(Sensitivity.Internal)]
    public string? PatientClass { get; init; }
}
