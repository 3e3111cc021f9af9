using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using Sinew.Audit.Log;
using Sinew.Core.Audit;
using Sinew.Security.ApiKeys;

namespace Sinew.Cli.Commands;

/// <summary>
/// <c>sinew apikey create|list|revoke</c>: API keys for simple systems. With <c>--data DIR</c> the command works on the
/// data folder's <c>security.db</c> directly (no server needed) and records <c>apikey.create</c> / <c>apikey.revoke</c> in
/// the data folder's audit log as the local admin (<c>--config</c> gives the chain key when <c>audit.key</c> is set);
/// otherwise it asks the admin API of a running Sinew as an admin, which audits the same way.
/// </summary>
internal static class SecurityCommands
{
    public static IEnumerable<Command> Build()
    {
        var apikey = new Command("apikey", "API keys for systems: create (the key is shown once), list, revoke");
        apikey.Subcommands.Add(Create());
        apikey.Subcommands.Add(List());
        apikey.Subcommands.Add(Revoke());
        return [apikey];
    }

    private static Command Create()
    {
        var (data, url, token) = Connection();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. the sending system", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope, e.g. channel:adt:send or fhir:SupplyDelivery.write (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var roles = new Option<string[]>("--role") { Description = "A role: admin, operator or auditor (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var config = AuditConfig();
        var command = new Command("create", "Create an API key and print it once; only its hash is kept") { name, scopes, roles, data, config, url, token };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var given = (Name: parse.GetValue(name)!, Scopes: parse.GetValue(scopes) ?? [], Roles: parse.GetValue(roles) ?? []);
            if (ApiKeyEndpoints.Problem(given.Name, given.Scopes, given.Roles) is { } problem)
            {
                throw new CliException(problem);
            }
            string id, secret;
            if (parse.GetValue(data) is { } folder)
            {
                // The audit log is opened first: a key operation that cannot be recorded is not made.
                using var log = OpenAuditLog(folder, parse.GetValue(config));
                using var store = SecurityStore.Open(Path.GetFullPath(folder));
                var created = store.CreateKey(given.Name, given.Scopes, given.Roles, DateTimeOffset.UtcNow);
                (id, secret) = (created.Key.Id, created.Secret);
                await log.WriteAsync(LocalRecord("apikey.create", id, "success"), ct);
            }
            else
            {
                using var http = Http(parse, url, token);
                using var response = await SendAsync(http, () => http.PostAsJsonAsync("api/v1/apikeys", new { name = given.Name, scopes = given.Scopes, roles = given.Roles }, ct));
                var created = await ReadAsync<ApiKeyEndpoints.CreatedView>(response, ct);
                (id, secret) = (created.Id, created.Key);
            }
            Console.WriteLine($"API key {id} created for '{given.Name}'. Copy it now; it is not shown again:");
            Console.WriteLine(secret);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var (data, url, token) = Connection();
        var command = new Command("list", "List API keys (never their secrets)") { data, url, token };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            IReadOnlyList<ApiKey> keys;
            if (parse.GetValue(data) is { } folder)
            {
                using var store = SecurityStore.Open(Path.GetFullPath(folder));
                keys = store.ListKeys();
            }
            else
            {
                using var http = Http(parse, url, token);
                using var response = await SendAsync(http, () => http.GetAsync("api/v1/apikeys", ct));
                keys = await ReadAsync<List<ApiKey>>(response, ct);
            }
            Console.WriteLine($"{"ID",-14}{"NAME",-24}{"CREATED",-22}{"STATE",-9}GRANTS");
            foreach (var key in keys)
            {
                var grants = string.Join(' ', key.Roles.Select(r => "role:" + r).Concat(key.Scopes));
                Console.WriteLine($"{key.Id,-14}{Cut(key.Name, 23),-24}{key.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {(key.IsRevoked ? "revoked" : "active"),-9}{grants}");
            }
            return 0;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var (data, url, token) = Connection();
        var id = new Argument<string>("id") { Description = "The key id (the part after snw_ and before the next _)" };
        var config = AuditConfig();
        var command = new Command("revoke", "Revoke an API key at once") { id, data, config, url, token };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var keyId = parse.GetValue(id)!;
            bool revoked;
            if (parse.GetValue(data) is { } folder)
            {
                using var log = OpenAuditLog(folder, parse.GetValue(config));
                using var store = SecurityStore.Open(Path.GetFullPath(folder));
                revoked = store.RevokeKey(keyId, DateTimeOffset.UtcNow);
                await log.WriteAsync(LocalRecord("apikey.revoke", keyId, revoked ? "success" : "failure"), ct);
            }
            else
            {
                using var http = Http(parse, url, token);
                using var response = await SendAsync(http, () => http.DeleteAsync($"api/v1/apikeys/{Uri.EscapeDataString(keyId)}", ct));
                revoked = response.StatusCode != HttpStatusCode.NotFound;
                if (revoked)
                {
                    await ReadAsync<object?>(response, ct, expectBody: false);
                }
            }
            if (!revoked)
            {
                throw new CliException($"no active API key '{keyId}'");
            }
            Console.WriteLine($"API key {keyId} revoked.");
            return 0;
        }));
        return command;
    }

    private static (Option<string?> Data, Option<string> Url, Option<string?> Token) Connection()
    {
        var data = new Option<string?>("--data", "-d") { Description = "Data folder; with it, the command works on its security.db directly instead of asking a running Sinew" };
        return (data, CommonOptions.Url(), CommonOptions.Token());
    }

    private static Option<string?> AuditConfig() => new("--config", "-c")
    {
        Description = "With --data: configuration folder whose sinew.yaml holds audit.key, when the audit chain is keyed",
    };

    private static SqliteAuditLog OpenAuditLog(string dataDirectory, string? configDirectory)
    {
        try
        {
            return SqliteAuditLog.OpenLocal(dataDirectory, configDirectory, create: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new CliException($"the audit log of {Path.GetFullPath(dataDirectory)} cannot be opened, so no key operation was made: {ex.Message}");
        }
    }

    /// <summary>What a local key operation records: the admin at this machine, the key id, never the secret.</summary>
    private static AuditRecord LocalRecord(string action, string keyId, string outcome) =>
        new() { Action = action, Actor = "local-admin:" + Environment.UserName, Role = "admin", Target = $"apikey/{keyId}", Outcome = outcome };

    private static HttpClient Http(ParseResult parse, Option<string> url, Option<string?> token)
    {
        var text = parse.GetValue(url)!;
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri))
        {
            throw new CliException($"--url '{text}' is not an absolute URL");
        }
        return HttpAdminClient.CreateHttp(uri, parse.GetValue(token));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"no Sinew answers at {http.BaseAddress} ({ex.HttpRequestError}); start one with 'sinew run', or pass --data DIR to work on a data folder directly");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct, bool expectBody = true)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new CliException($"{(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 500 ? body[..500] : body)}");
        }
        return expectBody ? (await response.Content.ReadFromJsonAsync<T>(HttpAdminClient.Json, ct))! : default!;
    }

    private static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..(length - 1)] + "…" : text;
}
