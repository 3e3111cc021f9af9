namespace Sinew.Fhir.Parsing;

/// <summary>The two FHIR wire formats Sinew reads and writes.</summary>
public enum FhirFormat
{
    Json = 0,
    Xml = 1,
}
