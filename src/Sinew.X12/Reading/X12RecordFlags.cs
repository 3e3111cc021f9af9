namespace Sinew.X12;

/// <summary>Tolerated oddities the reader saw around one record, so a validator can report them as issues.</summary>
[Flags]
public enum X12RecordFlags
{
    None = 0,

    /// <summary>The record starts with a UTF-8 byte order mark.</summary>
    ByteOrderMark = 1,

    /// <summary>Line breaks (CR/LF) follow the segment terminator.</summary>
    LineBreakAfterTerminator = 2,

    /// <summary>Spaces or tabs follow the segment terminator (indented segments).</summary>
    WhitespaceAfterTerminator = 4,

    /// <summary>The ISA is not the standard 106 bytes wide; its separators were found by counting.</summary>
    IsaNotFixedWidth = 8,

    /// <summary>The input ended before the segment terminator.</summary>
    MissingTerminator = 16,

    /// <summary>The segment was longer than the reader's limit and was cut.</summary>
    SegmentTooLong = 32,

    /// <summary>An ISA was found but its separators could not be read.</summary>
    UnreadableIsa = 64,

    /// <summary>This record is an ISA and set new delimiters.</summary>
    NewDelimiters = 128,
}
