namespace Sinew.Hl7v2;

/// <summary>Maps issue codes to HL7 table 0357 (message error condition codes) for ERR-3.</summary>
public static class HL70357
{
    /// <summary>The table 0357 code and its text for an issue; <paramref name="version"/> picks 104 (v2.7+) or 102 for long values.</summary>
    public static (string Code, string Text) For(Hl7IssueCode code, string version) => code switch
    {
        Hl7IssueCode.RequiredSegmentMissing or Hl7IssueCode.SegmentRepeatedTooOften or Hl7IssueCode.SegmentSequenceError
            or Hl7IssueCode.UnexpectedSegment or Hl7IssueCode.InvalidSegmentName or Hl7IssueCode.MultipleMessages => ("100", "Segment sequence error"),
        Hl7IssueCode.RequiredFieldMissing or Hl7IssueCode.MissingHeader or Hl7IssueCode.EmptyMessage => ("101", "Required field missing"),
        Hl7IssueCode.DataTypeError or Hl7IssueCode.InvalidDelimiters
            or Hl7IssueCode.FieldRepeatedTooOften or Hl7IssueCode.NotSupportedFieldValued => ("102", "Data type error"),
        Hl7IssueCode.ValueTooLong => string.CompareOrdinal(version, "2.7") >= 0 ? ("104", "Value too long") : ("102", "Data type error"),
        Hl7IssueCode.TableValueNotFound => ("103", "Table value not found"),
        Hl7IssueCode.NoProfileForMessageType => ("200", "Unsupported message type"),
        _ => ("207", "Application internal error"),
    };
}
