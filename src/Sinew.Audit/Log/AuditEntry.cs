using Sinew.Core.Audit;

namespace Sinew.Audit.Log;

/// <summary>One stored audit record with its place in the chain.</summary>
public sealed record AuditEntry(long Sequence, AuditRecord Record, string PreviousHash, string Hash);
