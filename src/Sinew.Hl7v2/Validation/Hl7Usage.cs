namespace Sinew.Hl7v2;

/// <summary>Whether a field must be valued, in the HL7 conformance usage codes.</summary>
public enum Hl7Usage
{
    /// <summary>O: optional.</summary>
    Optional = 0,

    /// <summary>R: required; an empty field is an error.</summary>
    Required = 1,

    /// <summary>RE: required but may be empty; an empty field is a warning.</summary>
    RequiredOrEmpty = 2,

    /// <summary>X: not supported; a valued field is a warning.</summary>
    NotSupported = 3,
}
