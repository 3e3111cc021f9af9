namespace Sinew.Mapping;

/// <summary>What a mapping reads.</summary>
public enum MappingInput
{
    /// <summary>HL7 v2 ER7; paths like <c>FT1-7.1</c>.</summary>
    Hl7v2,

    /// <summary>A FHIR R4 resource or Bundle in JSON or XML; paths are FHIRPath.</summary>
    Fhir,

    /// <summary>Any JSON; dotted paths with indexes.</summary>
    Json,

    /// <summary>CSV with a header row; each row is a record, paths are column names.</summary>
    Csv,
}
