namespace Sinew.Hl7v2;

/// <summary>What a profile says about one field of a segment.</summary>
/// <param name="Field">Field position (1-based).</param>
/// <param name="Usage">Whether it must be valued.</param>
/// <param name="DataType">HL7 data type checked on each repetition (NM, SI, DT, DTM, TS, ID, IS...); null for none.</param>
/// <param name="MaxLength">Longest allowed repetition in bytes as sent; null for no limit.</param>
/// <param name="MaxRepetitions">Most repetitions allowed; null for no limit.</param>
/// <param name="Table">Allowed codes for the first component (or <paramref name="Component"/>); empty for no table.</param>
/// <param name="Component">When set, data type and table apply to this component of each repetition instead of the first.</param>
public sealed record Hl7FieldRule(int Field, Hl7Usage Usage, string? DataType, int? MaxLength, int? MaxRepetitions, IReadOnlyList<string> Table, int? Component = null);
