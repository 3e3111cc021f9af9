namespace Sinew.Hl7v2;

/// <summary>Validation rules for one or more message types: the structure (segments, groups, cardinality) and field rules.</summary>
/// <param name="MessageTypes">Types covered, as "ADT^A01"; "*" for rules applied to every message.</param>
/// <param name="Structure">Top-level structure; empty when the profile only has field rules.</param>
/// <param name="Fields">Field rules per segment identifier.</param>
/// <param name="Source">File or resource the profile came from, for issue messages.</param>
public sealed record Hl7Profile(
    IReadOnlyList<string> MessageTypes,
    IReadOnlyList<Hl7StructureElement> Structure,
    IReadOnlyDictionary<string, IReadOnlyList<Hl7FieldRule>> Fields,
    string Source);
