namespace Sinew.Hl7v2;

/// <summary>What checking or round-tripping a file found: counts, and the first differing offset for a round trip.</summary>
/// <param name="Messages">Messages read.</param>
/// <param name="Errors">Issues with error severity.</param>
/// <param name="Warnings">Issues with warning severity.</param>
/// <param name="Bytes">Bytes read.</param>
/// <param name="FirstDifference">For a round trip, the offset of the first byte that came back different; null when identical.</param>
public sealed record Hl7FileReport(int Messages, int Errors, int Warnings, long Bytes, long? FirstDifference);
