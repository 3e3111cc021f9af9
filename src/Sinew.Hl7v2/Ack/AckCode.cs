namespace Sinew.Hl7v2;

/// <summary>MSA-1 acknowledgment codes (HL7 table 0008).</summary>
public enum AckCode
{
    /// <summary>AA: original mode application accept.</summary>
    ApplicationAccept = 0,

    /// <summary>AE: original mode application error.</summary>
    ApplicationError = 1,

    /// <summary>AR: original mode application reject.</summary>
    ApplicationReject = 2,

    /// <summary>CA: enhanced mode accept acknowledgment, commit accept.</summary>
    CommitAccept = 3,

    /// <summary>CE: enhanced mode accept acknowledgment, commit error.</summary>
    CommitError = 4,

    /// <summary>CR: enhanced mode accept acknowledgment, commit reject.</summary>
    CommitReject = 5,
}
