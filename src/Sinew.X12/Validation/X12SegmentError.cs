namespace Sinew.X12;

/// <summary>A segment in error, as an AK3 (997) or IK3 (999) reports it, with its element errors.</summary>
/// <param name="SegmentId">Segment identifier (AK301).</param>
/// <param name="Position">1-based position in the transaction set, ST being 1 (AK302).</param>
/// <param name="LoopId">Loop identifier (AK303), empty when the segment is not in a loop.</param>
/// <param name="Code">AK304/IK304 code, empty when only elements are in error ("8" is then used).</param>
public sealed record X12SegmentError(string SegmentId, int Position, string LoopId, string Code)
{
    /// <summary>Element errors of this segment.</summary>
    public List<X12ElementError> Elements { get; } = [];
}
