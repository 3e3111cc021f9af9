namespace Sinew.X12;

/// <summary>The stable issue codes of the reader and validator; users filter and count on these, so they never change meaning.</summary>
public static class X12IssueCodes
{
    // Tolerated by the reader.
    public const string ByteOrderMark = "X12-BOM";
    public const string LineBreaks = "X12-LINE-BREAKS";
    public const string Whitespace = "X12-WHITESPACE";
    public const string IsaNotFixedWidth = "X12-ISA-WIDTH";
    public const string MissingTerminator = "X12-MISSING-TERMINATOR";
    public const string SegmentTooLong = "X12-SEGMENT-TOO-LONG";
    public const string IsaUnreadable = "X12-ISA-UNREADABLE";
    public const string Junk = "X12-JUNK";
    public const string NoInterchange = "X12-NO-ISA";

    // Interchange envelope (TA1).
    public const string IsaField = "X12-ISA-FIELD";
    public const string IeaMissing = "X12-IEA-MISSING";
    public const string IeaControlNumber = "X12-IEA-CONTROL";
    public const string IeaGroupCount = "X12-IEA-COUNT";
    public const string IsaDuplicate = "X12-ISA-DUPLICATE";
    public const string OutsideInterchange = "X12-OUTSIDE-ISA";
    public const string OutsideGroup = "X12-OUTSIDE-GS";

    // Functional group (AK9).
    public const string GsField = "X12-GS-FIELD";
    public const string GeMissing = "X12-GE-MISSING";
    public const string GeControlNumber = "X12-GE-CONTROL";
    public const string GeSetCount = "X12-GE-COUNT";
    public const string GsDuplicate = "X12-GS-DUPLICATE";

    // Transaction set envelope (AK5 / IK5).
    public const string StField = "X12-ST-FIELD";
    public const string SeMissing = "X12-SE-MISSING";
    public const string SeControlNumber = "X12-SE-CONTROL";
    public const string SeSegmentCount = "X12-SE-COUNT";
    public const string StDuplicate = "X12-ST-DUPLICATE";
    public const string OutsideSet = "X12-OUTSIDE-ST";
    public const string SetNotSupported = "X12-SET-UNSUPPORTED";

    // Segments (AK3 / IK3).
    public const string SegmentUnrecognized = "X12-SEG-UNRECOGNIZED";
    public const string SegmentUnexpected = "X12-SEG-UNEXPECTED";
    public const string SegmentMissing = "X12-SEG-MISSING";
    public const string LoopRepeat = "X12-LOOP-REPEAT";
    public const string SegmentRepeat = "X12-SEG-REPEAT";
    public const string SegmentOrder = "X12-SEG-ORDER";
    public const string SegmentNotInSet = "X12-SEG-NOT-IN-SET";

    // Elements (AK4 / IK4).
    public const string ElementMissing = "X12-ELEM-MISSING";
    public const string ElementTooMany = "X12-ELEM-TOO-MANY";
    public const string ElementTooShort = "X12-ELEM-SHORT";
    public const string ElementTooLong = "X12-ELEM-LONG";
    public const string ElementCharacter = "X12-ELEM-CHAR";
    public const string ElementCode = "X12-ELEM-CODE";
    public const string ElementDate = "X12-ELEM-DATE";
    public const string ElementTime = "X12-ELEM-TIME";
    public const string ElementConditional = "X12-ELEM-CONDITIONAL";
    public const string ElementExclusion = "X12-ELEM-EXCLUSION";
}
