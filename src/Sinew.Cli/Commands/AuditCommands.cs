using System.CommandLine;
using System.Text.Json;
using Sinew.Audit.Fhir;
using Sinew.Audit.Keys;
using Sinew.Audit.Log;
using Sinew.Audit.Policy;
using Sinew.Core.Audit;
using Sinew.Host;
using Sinew.Journal.Sqlite;

namespace Sinew.Cli.Commands;

/// <summary>Commands for the audit log, encryption keys and tokens, run locally on a data folder (the local admin).</summary>
internal static class AuditCommands
{
    public static IEnumerable<Command> Build() => [Audit(), Keys(), Tokens()];

    private static Option<string> DataRequired() => new("--data", "-d") { Description = "Data folder of the Sinew instance", Required = true };

    private static Option<string?> ConfigOptional() => new("--config", "-c") { Description = "Configuration folder (for the audit chain key, when audit.key is set)" };

    private static Command Audit()
    {
        var data = DataRequired();
        var config = ConfigOptional();
        var verify = new Command("verify", "Walk the audit chain; name every edited, deleted, inserted or reordered record (exit 1), else print the count and head hash") { data, config };
        verify.SetAction(async (parse, cancellationToken) => await RunAsync(async () =>
        {
            using var log = OpenLog(parse.GetValue(data)!, parse.GetValue(config));
            var result = await log.VerifyAsync(cancellationToken);
            if (!result.Intact)
            {
                foreach (var problem in result.Problems)
                {
                    await Console.Error.WriteLineAsync("BROKEN: " + problem);
                }
                await Console.Error.WriteLineAsync($"audit log NOT intact: {result.Problems.Count} problem(s) in {result.Count} record(s)");
                return 1;
            }
            Console.WriteLine($"audit log intact: {result.Count} record(s), head {result.HeadHash}{(log.Keyed ? " (HMAC-SHA256)" : " (SHA-256)")}");
            return 0;
        }));

        var exportData = DataRequired();
        var exportConfig = ConfigOptional();
        var format = new Option<string>("--format") { Description = "fhir (a Bundle of AuditEvent) or jsonl (one record per line, with its chain hashes)", DefaultValueFactory = _ => "fhir" };
        format.AcceptOnlyFromAmong("fhir", "jsonl");
        var export = new Command("export", "Write the audit log to stdout as FHIR AuditEvent (IHE BALP style) or JSON lines") { exportData, exportConfig, format };
        export.SetAction(async (parse, cancellationToken) => await RunAsync(async () =>
        {
            using var log = OpenLog(parse.GetValue(exportData)!, parse.GetValue(exportConfig));
            var entries = new List<AuditEntry>();
            long after = 0;
            while (true)
            {
                var page = await log.ReadAsync(after, null, 1000, cancellationToken);
                entries.AddRange(page);
                if (page.Count < 1000)
                {
                    break;
                }
                after = page[^1].Sequence;
            }
            await using var stdout = Console.OpenStandardOutput();
            if (parse.GetValue(format) == "jsonl")
            {
                foreach (var entry in entries)
                {
                    await stdout.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(entry, JsonSerializerOptions.Web), cancellationToken);
                    stdout.WriteByte((byte)'\n');
                }
            }
            else
            {
                await stdout.WriteAsync(AuditBundle.Json(AuditBundle.SearchSet(entries, "urn:sinew", next: null)), cancellationToken);
                stdout.WriteByte((byte)'\n');
            }
            return 0;
        }));
        return new Command("audit", "The tamper-evident audit log") { verify, export };
    }

    private static Command Keys()
    {
        var data = DataRequired();
        var config = new Option<string>("--config", "-c") { Description = "Configuration folder whose encryption: section lists the new active key and the old ones", Required = true };
        var batch = new Option<int>("--batch") { Description = "Rows re-wrapped per commit (a running Sinew writes in between)", DefaultValueFactory = _ => 500 };
        var rotate = new Command("rotate", "Re-wrap every message's data key and re-seal every token vault entry under the active key-encryption key (and encrypt rows still in clear), online, in batches") { data, config, batch };
        rotate.SetAction(async (parse, cancellationToken) => await RunAsync(async () =>
        {
            var dataDirectory = Path.GetFullPath(parse.GetValue(data)!);
            var settings = ProtectionSettings.Read(parse.GetValue(config)!);
            var keys = settings.Encryption?.Keys ?? throw new InvalidOperationException("sinew.yaml has no encryption: section; add the keys and the active one first");
            var batchSize = Math.Clamp(parse.GetValue(batch), 1, 100_000);
            var journalPath = Path.Combine(dataDirectory, SinewApp.JournalFileName);
            if (!File.Exists(journalPath))
            {
                throw new InvalidOperationException($"there is no journal at {journalPath}");
            }
            var vaultPath = Path.Combine(dataDirectory, TokenVault.FileName);
            var tokenization = settings.Tokenization;
            if (File.Exists(vaultPath) && tokenization is null)
            {
                throw new InvalidOperationException($"{vaultPath} exists but sinew.yaml has no tokenization: section; its keys are needed to re-seal the vault, so nothing was rotated");
            }
            using var log = SqliteAuditLog.Open(dataDirectory, settings.Audit.Key);
            var actor = "local-admin:" + Environment.UserName;
            await using var journal = SqliteJournal.Open(new SqliteJournalOptions(journalPath) { Encryption = keys });
            using var vault = File.Exists(vaultPath) ? TokenVault.Open(dataDirectory, tokenization!.Tokenizer, keys) : null;
            try
            {
                var (inbox, outbox) = await journal.RewrapAsync(batchSize, null, cancellationToken);
                var resealed = vault?.Reseal(batchSize, cancellationToken) ?? 0;
                var remaining = await journal.CountNotUnderActiveKeyAsync(cancellationToken);
                var vaultRemaining = vault?.CountToReseal() ?? 0;
                await log.WriteAsync(new AuditRecord { Action = "key.rotate", Actor = actor, Role = "admin", Target = "key/" + keys.ActiveKeyId, Reason = $"re-wrapped {inbox} inbox and {outbox} outbox row(s); re-sealed {resealed} token vault entr(ies)" }, cancellationToken);
                Console.WriteLine($"re-wrapped {inbox} message(s) and {outbox} outbox payload(s) under key '{keys.ActiveKeyId}'");
                if (vault is not null)
                {
                    Console.WriteLine($"re-sealed {resealed} token vault entr(ies) under key '{keys.ActiveKeyId}' (lookups under tokenization version {tokenization!.Tokenizer.ActiveVersion})");
                }
                if (remaining != (0, 0) || vaultRemaining != 0)
                {
                    // A running Sinew with the old active key kept writing: it must be restarted with the new active key first.
                    Console.WriteLine($"{remaining.Inbox + remaining.Outbox + vaultRemaining} row(s) were written under another key meanwhile; restart Sinew with '{keys.ActiveKeyId}' active and run again");
                    return 1;
                }
                Console.WriteLine("every row and vault entry is under the active key; the old keys may now be removed from sinew.yaml");
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await log.WriteAsync(new AuditRecord { Action = "key.rotate", Actor = actor, Role = "admin", Target = "key/" + keys.ActiveKeyId, Outcome = "failure", Reason = ex.GetType().Name }, CancellationToken.None);
                throw;
            }
        }));
        return new Command("keys", "Encryption keys of the journal and the token vault") { rotate };
    }

    private static Command Tokens()
    {
        var data = DataRequired();
        var config = new Option<string>("--config", "-c") { Description = "Configuration folder (tokenization and encryption keys)", Required = true };
        var token = new Option<string>("--token") { Description = "The vault token (tok:r:…) to re-identify", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why; written to the audit log", Required = true };
        var resolve = new Command("resolve", "Re-identify a vault token as the local admin; the reason and the act are audited") { data, config, token, reason };
        resolve.SetAction(async (parse, cancellationToken) => await RunAsync(async () =>
        {
            var dataDirectory = Path.GetFullPath(parse.GetValue(data)!);
            var settings = ProtectionSettings.Read(parse.GetValue(config)!);
            if (settings.Tokenization is not { Vault: true } tokenization || settings.Encryption is null)
            {
                throw new InvalidOperationException("only vault tokens can be resolved: set tokenization: { vault: true } and an encryption: section");
            }
            if (string.IsNullOrWhiteSpace(parse.GetValue(reason)))
            {
                throw new InvalidOperationException("--reason must say why the token is re-identified");
            }
            using var log = SqliteAuditLog.Open(dataDirectory, settings.Audit.Key);
            using var vault = TokenVault.Open(dataDirectory, tokenization.Tokenizer, settings.Encryption.Keys);
            var value = vault.Resolve(parse.GetValue(token)!);
            await log.WriteAsync(new AuditRecord
            {
                Action = "token.resolve",
                Actor = "local-admin:" + Environment.UserName,
                Role = "admin",
                Target = "token/" + parse.GetValue(token),
                Reason = parse.GetValue(reason),
                Outcome = value is null ? "failure" : "success",
            }, cancellationToken);
            if (value is null)
            {
                await Console.Error.WriteLineAsync("the vault does not hold this token");
                return 1;
            }
            Console.WriteLine(value);
            return 0;
        }));
        return new Command("tokens", "Tokens of the PHI policy") { resolve };
    }

    private static SqliteAuditLog OpenLog(string dataDirectory, string? configDirectory) => SqliteAuditLog.OpenLocal(dataDirectory, configDirectory, create: false);

    private static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or IOException or Microsoft.Data.Sqlite.SqliteException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }
}
