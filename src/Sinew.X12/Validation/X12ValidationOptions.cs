namespace Sinew.X12;

/// <summary>Settings of <see cref="X12Validator"/>, immutable once built.</summary>
public sealed record X12ValidationOptions
{
    /// <summary>Transaction set schemas; the built-in ones (850, 855, 856, 810, 832, 997, 999 in 004010 and 005010) by default.</summary>
    public X12SchemaSet Schemas { get; init; } = X12SchemaSet.BuiltIn;

    /// <summary>Check transaction set structure and elements against <see cref="Schemas"/>; envelopes are always checked.</summary>
    public bool ValidateStructure { get; init; } = true;

    /// <summary>Reject transaction sets that have no schema (AK5 code 1) instead of accepting them unchecked.</summary>
    public bool RejectUnknownSets { get; init; }

    /// <summary>How many recent interchange control numbers (per sender) the validator remembers to find duplicates.</summary>
    public int DuplicateWindow { get; init; } = 1000;

    /// <summary>Issues beyond this count are counted but not kept, so a broken 1 GB file cannot exhaust memory.</summary>
    public int MaxIssues { get; init; } = 10_000;

    /// <summary>Accepted set results kept per group for acknowledgements; rejected sets are kept up to <see cref="MaxIssues"/>.</summary>
    public int MaxRetainedSets { get; init; } = 10_000;

    /// <summary>Segments longer than this are cut and reported.</summary>
    public int MaxSegmentLength { get; init; } = X12Reader.DefaultMaxSegmentLength;
}
