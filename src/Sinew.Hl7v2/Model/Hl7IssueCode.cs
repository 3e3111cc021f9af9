namespace Sinew.Hl7v2;

/// <summary>Stable codes of parse and validation issues. Values never change once released; new codes are appended.</summary>
public enum Hl7IssueCode
{
    /// <summary>The input holds no bytes.</summary>
    EmptyMessage = 1001,

    /// <summary>The input does not start with an MSH (or FHS/BHS) segment.</summary>
    MissingHeader = 1002,

    /// <summary>MSH-1/MSH-2 do not declare a legal, distinct set of encoding characters; the standard set is assumed.</summary>
    InvalidDelimiters = 1003,

    /// <summary>Segments end with LF or CR LF instead of CR.</summary>
    NonStandardSegmentTerminator = 1004,

    /// <summary>The input starts with a UTF-8 byte order mark.</summary>
    ByteOrderMark = 1005,

    /// <summary>A segment does not start with a three-character identifier.</summary>
    InvalidSegmentName = 1006,

    /// <summary>More than one MSH segment was found where one message was expected.</summary>
    MultipleMessages = 1007,

    /// <summary>Blank lines or trailing bytes that are not segments; kept verbatim.</summary>
    ExtraneousBytes = 1008,

    /// <summary>MSH-18 names a character set this codec does not decode; UTF-8 is assumed.</summary>
    UnsupportedCharacterSet = 1009,

    /// <summary>A line break inside a segment: the next line does not start with a segment identifier, so it continues the segment.</summary>
    LineBreakInsideSegment = 1011,

    /// <summary>A required segment or group is absent.</summary>
    RequiredSegmentMissing = 2001,

    /// <summary>A segment appears more often than the profile allows.</summary>
    SegmentRepeatedTooOften = 2002,

    /// <summary>A segment the profile knows appears out of order.</summary>
    SegmentSequenceError = 2003,

    /// <summary>A segment the profile does not know (Z-segments are allowed silently).</summary>
    UnexpectedSegment = 2004,

    /// <summary>No profile covers the message type; only header rules were checked.</summary>
    NoProfileForMessageType = 2005,

    /// <summary>A required field is empty.</summary>
    RequiredFieldMissing = 3001,

    /// <summary>A field repetition is longer than the profile allows.</summary>
    ValueTooLong = 3002,

    /// <summary>A value does not match its data type (NM, SI, DT, DTM/TS...).</summary>
    DataTypeError = 3003,

    /// <summary>A coded value is not in the profile's table.</summary>
    TableValueNotFound = 3004,

    /// <summary>A field repeats more often than the profile allows.</summary>
    FieldRepeatedTooOften = 3005,

    /// <summary>A field the profile marks as not supported (X) is valued.</summary>
    NotSupportedFieldValued = 3006,

    /// <summary>A batch or file trailer count does not match what it closes.</summary>
    BatchCountMismatch = 4001,

    /// <summary>A batch or file header/trailer is missing its counterpart.</summary>
    BatchEnvelopeError = 4002,

    /// <summary>A profile file could not be read.</summary>
    InvalidProfile = 5001,

    /// <summary>The receiver could not process or store the message (e.g. its journal is unavailable); HL7 table 0357 code 207.</summary>
    InternalError = 9001,
}
