namespace Sinew.Hl7v2;

/// <summary>
/// One segment in a message as 12 bytes of offsets: where its bytes start, how long they are, and how many terminator bytes
/// (CR, LF, CR LF, blank lines) follow them. A negative start means the segment was edited: <c>~Start</c> indexes the
/// message's list of edited segments, which hold the content and terminator together.
/// </summary>
internal readonly record struct SegmentSlot(int Start, int ContentLength, int TerminatorLength)
{
    public bool IsEdited => Start < 0;

    public int End => Start + ContentLength + TerminatorLength;
}
