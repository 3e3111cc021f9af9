namespace Sinew.Hl7v2;

/// <summary>One element of a message structure: a segment or a group of elements, with its cardinality.</summary>
/// <param name="Segment">Segment identifier, or null for a group.</param>
/// <param name="Group">Group name (e.g. "OBSERVATION"), or null for a segment.</param>
/// <param name="Optional">True when it may be absent (min 0).</param>
/// <param name="Repeating">True when it may occur more than once.</param>
/// <param name="Children">Elements of a group, in order; empty for a segment.</param>
public sealed record Hl7StructureElement(string? Segment, string? Group, bool Optional, bool Repeating, IReadOnlyList<Hl7StructureElement> Children)
{
    /// <summary>Name shown in issues: the segment id or the group name.</summary>
    public string Name => Segment ?? Group ?? "?";
}
