namespace Sinew.X12;

/// <summary>The verdict an acknowledgement gives on a transaction set, group or interchange (AK5/IK5/AK9/TA1 codes).</summary>
public enum X12AckCode
{
    /// <summary>A: accepted.</summary>
    Accepted,

    /// <summary>E: accepted, but errors were noted.</summary>
    AcceptedWithErrors,

    /// <summary>P: some transaction sets of the group were accepted, some rejected.</summary>
    PartiallyAccepted,

    /// <summary>R: rejected.</summary>
    Rejected,
}
