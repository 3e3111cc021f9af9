namespace Sinew.X12;

/// <summary>One verdict read from a TA1, 997 or 999 a partner sent: on an interchange, a group or a transaction set.</summary>
/// <param name="Kind">"TA1", "997" or "999".</param>
/// <param name="InterchangeControlNumber">TA101 for a TA1; otherwise null.</param>
/// <param name="GroupControlNumber">AK102 of the acknowledged group; null for a TA1.</param>
/// <param name="SetControlNumber">AK202 of the acknowledged set; null for interchange and group verdicts.</param>
/// <param name="SetId">AK201 of the acknowledged set, null when not about a set.</param>
/// <param name="Code">The verdict.</param>
/// <param name="ErrorCodes">TA105 note code, AK5/IK5 or AK9 error codes.</param>
public sealed record X12ReceivedAck(
    string Kind,
    string? InterchangeControlNumber,
    string? GroupControlNumber,
    string? SetControlNumber,
    string? SetId,
    X12AckCode Code,
    IReadOnlyList<string> ErrorCodes);
