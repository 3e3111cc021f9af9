using Microsoft.Data.Sqlite;

namespace Sinew.Audit.Log;

/// <summary>
/// Checks the audit chain record by record: sequence numbers without gaps (a deleted or inserted record), each record's
/// link to the hash before it (deleted, inserted or reordered), each record's own hash (an edited field), and the head
/// kept in <c>meta</c> (records cut from the end). It keeps walking after a break, so every tampered record is named.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(SqliteConnection connection, byte[]? key, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        long expected = 1;
        long count = 0;
        var previous = AuditChain.Genesis;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT seq, at, action, actor, role, target, outcome, reason, source, prev_hash, hash FROM audit ORDER BY rowid";
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = SqliteAuditLog.ReadEntry(reader);
                count++;
                if (entry.Sequence != expected)
                {
                    problems.Add(entry.Sequence > expected
                        ? $"record {expected}{(entry.Sequence - expected > 1 ? $" to {entry.Sequence - 1}" : "")} deleted: the chain goes from {expected - 1} to {entry.Sequence}"
                        : $"record {entry.Sequence} out of order or inserted: expected record {expected}");
                }
                else if (entry.PreviousHash != previous)
                {
                    problems.Add($"record {entry.Sequence} does not link to the record before it (a record was deleted, inserted or reordered before it)");
                }
                if (AuditChain.Hash(entry.Sequence, entry.Record, entry.PreviousHash, key) != entry.Hash)
                {
                    problems.Add($"record {entry.Sequence} edited: its content does not match its hash ({entry.Record.Action} at {entry.Record.At:O})");
                }
                previous = entry.Hash;
                expected = entry.Sequence + 1;
            }
        }
        using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT value FROM meta WHERE key = 'head'";
            if (await head.ExecuteScalarAsync(cancellationToken) is string text && text.Split(':') is [var seqText, var hash] && long.TryParse(seqText, out var seq))
            {
                if (seq != expected - 1 || hash != previous)
                {
                    problems.Add(seq > expected - 1
                        ? $"records {expected} to {seq} deleted from the end: the log's head says record {seq}"
                        : $"the head record {expected - 1} does not match the head the log recorded ({seq})");
                }
            }
            else if (count > 0)
            {
                problems.Add("the head the log records is missing or damaged");
            }
        }
        return new AuditVerification(count, previous, problems);
    }
}
