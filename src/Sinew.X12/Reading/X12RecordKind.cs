namespace Sinew.X12;

/// <summary>What one record returned by <see cref="X12Reader"/> holds.</summary>
public enum X12RecordKind
{
    /// <summary>A segment: identifier, elements and terminator.</summary>
    Segment,

    /// <summary>Bytes that are not X12 (before the first ISA, or after an ISA that could not be read); kept for round-trip.</summary>
    Junk,
}
