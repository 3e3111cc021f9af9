namespace Sinew.Hl7v2;

/// <summary>One segment in a message: its bytes and the terminator bytes that followed it, both kept verbatim.</summary>
/// <param name="Content">Segment bytes without terminator; original bytes until the segment is edited.</param>
/// <param name="Terminator">Bytes after the segment up to the next one (CR, LF, CR LF, blank lines), or empty at the end.</param>
internal readonly record struct SegmentSlot(ReadOnlyMemory<byte> Content, ReadOnlyMemory<byte> Terminator);
