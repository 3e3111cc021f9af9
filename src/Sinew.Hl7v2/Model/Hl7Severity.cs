namespace Sinew.Hl7v2;

/// <summary>How serious an issue is; maps to ERR-4 (HL70516: E, W, I).</summary>
public enum Hl7Severity
{
    /// <summary>Informational note; the message is fine.</summary>
    Information = 0,

    /// <summary>Tolerated deviation from the standard (e.g. LF segment terminators).</summary>
    Warning = 1,

    /// <summary>The message breaks a rule; an application error ACK is appropriate.</summary>
    Error = 2,
}
