namespace Sinew.Core.Audit;

/// <summary>
/// The append-only, tamper-evident audit log. A write returns after the record is durable; nothing edits or deletes
/// records (retention, if any, is an explicit, itself-audited operation).
/// </summary>
public interface IAuditLog
{
    ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken);
}

/// <summary>An audit log that keeps nothing, for unit tests of single classes and tools that run without a data folder.</summary>
public sealed class NoAuditLog : IAuditLog
{
    public static NoAuditLog Instance { get; } = new();

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
