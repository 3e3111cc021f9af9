namespace Sinew.X12;

/// <summary>An element in error, as an AK4 (997) or IK4 (999) reports it.</summary>
/// <param name="Position">1-based element position in the segment.</param>
/// <param name="ComponentPosition">1-based component position, 0 for a simple element.</param>
/// <param name="ReferenceNumber">Data element reference number from the schema, 0 when unknown.</param>
/// <param name="Code">AK403/IK403 syntax error code, e.g. "1" mandatory element missing, "7" invalid code value.</param>
/// <param name="BadValue">Copy of the bad value (AK404/IK404), cut to 99 characters.</param>
public sealed record X12ElementError(int Position, int ComponentPosition, int ReferenceNumber, string Code, string? BadValue);
