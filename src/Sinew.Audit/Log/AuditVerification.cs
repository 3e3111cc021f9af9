namespace Sinew.Audit.Log;

/// <summary>The result of walking the audit chain: how many records, the head hash, and every break found (empty when intact).</summary>
public sealed record AuditVerification(long Count, string HeadHash, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
