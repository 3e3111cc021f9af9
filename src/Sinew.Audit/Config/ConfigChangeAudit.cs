using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Audit.Log;
using Sinew.Core.Audit;
using Sinew.Engine.Config;

namespace Sinew.Audit.Config;

/// <summary>
/// At start, compares the configuration folder's fingerprint with the one of the last <c>config.change</c> record and,
/// when it differs (or there is none), records <c>config.change</c> naming the changed files (names only), so every
/// configuration a Sinew ran with is in the tamper-evident log.
/// </summary>
public sealed class ConfigChangeAudit(SinewConfig config, SqliteAuditLog log, ILogger<ConfigChangeAudit> logger) : IHostedService
{
    public const string Action = "config.change";

    private const string FilesKey = "config.files";

    /// <summary>Target prefix length: enough to tell configurations apart in a listing; the reason holds the full hash.</summary>
    private const int PrefixLength = 16;

    private const int MostNamed = 50;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var current = ConfigFingerprint.Compute(config.Directory);
        var target = "config/" + current.Hash[..PrefixLength];
        var last = await log.LastAsync(Action, cancellationToken);
        if (last?.Record.Target == target)
        {
            return;
        }
        // The chain says whether something changed; the file hashes stored with the last record only name what did,
        // and are trusted only when they still give that record's fingerprint.
        var before = ConfigFingerprint.ReadFiles(await log.ReadMetaAsync(FilesKey, cancellationToken));
        var known = last is not null && before is not null && last.Record.Target == "config/" + ConfigFingerprint.HashOf(before)[..PrefixLength] ? before : null;
        var changed = current.ChangedSince(known);
        IReadOnlyList<string> names = changed.Count > MostNamed ? [.. changed.Take(MostNamed), $"and {changed.Count - MostNamed} more"] : changed;
        var reason = (last is null ? "first start" : known is null ? "changed (previous file list unknown)" : "changed")
            + $"; sha256 {current.Hash}; files: {string.Join(", ", names)}";
        await log.WriteAsync(new AuditRecord { Action = Action, Actor = "sinew", Target = target, Reason = reason }, new KeyValuePair<string, string>(FilesKey, current.FilesJson()), cancellationToken);
        logger.LogInformation("Configuration {Fingerprint} recorded in the audit log ({Count} file(s) changed)", current.Hash[..PrefixLength], changed.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
