namespace Sinew.Erp.Tryton;

/// <summary>One canonical <c>InventoryConsumption</c> record, reduced to what Tryton needs (no patient fields).</summary>
internal sealed record ConsumptionRecord(string Key, string StorageLocation, DateOnly? OccurredOn, IReadOnlyList<ConsumptionLine> Lines);

/// <summary>One line of a consumption: which product, how much, in which unit (null: the product's default).</summary>
internal sealed record ConsumptionLine(string Product, decimal Quantity, string? Unit);
