namespace Sinew.X12;

/// <summary>Where the structure and element checks report what they find, so one run collects issues and acknowledgement data together.</summary>
internal interface IX12ErrorSink
{
    void SegmentError(string segmentId, int position, string loopId, string ackCode, string issueCode, string message);

    void ElementError(X12Segment segment, int position, string loopId, int element, int component, int reference, string ackCode, string issueCode, string message, ReadOnlySpan<byte> badValue);
}
