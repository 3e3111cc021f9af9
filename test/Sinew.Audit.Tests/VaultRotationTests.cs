using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Sinew.Audit.Tests;

/// <summary>
/// <c>sinew keys rotate</c> on a running Sinew re-seals the token vault: tokens made before the rotation resolve through the
/// auditor's API afterwards, with the old KEK and the old tokenization version both removed from <c>sinew.yaml</c>.
/// </summary>
public sealed class VaultRotationTests : IDisposable
{
    private const string Canary = "CANARY-VAULT-51d0";
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Config => _folder.Combine("config");

    private string Data => _folder.Combine("data");

    private string Key(string name) => _folder.Key(name);

    private void WriteKeys(string[] keks, string active, int[] versions, int activeVersion)
    {
        var text = new StringBuilder("encryption:\n  keys:\n");
        foreach (var kek in keks)
        {
            text.Append($"    - {{ id: {kek}, key: '{Key(kek)}' }}\n");
        }
        text.Append($"  active: {active}\ntokenization:\n  keys:\n");
        foreach (var version in versions)
        {
            text.Append($"    - {{ version: {version}, key: '{Key("tok" + version)}' }}\n");
        }
        text.Append($"  active: {activeVersion}\n  vault: true\n");
        _folder.Write("config/sinew.yaml", text.ToString());
    }

    /// <summary>Sends a message with <paramref name="patient"/> in PID-3.1 and returns the vault token the new output file holds instead.</summary>
    private static async Task<string> TokenizeAsync(SinewProcess sinew, string folder, string patient)
    {
        var before = Directory.Exists(folder) ? Directory.GetFiles(folder).ToHashSet() : [];
        using (var content = new StringContent($"MSH|^~\\&|A|B|C|D|20260101||ADT^A01|{Guid.NewGuid():N}|P|2.5\rPID|1||{patient}^^^H", Encoding.UTF8, "application/hl7-v2"))
        using (var response = await sinew.Http.PostAsync("in/hl7", content, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder).FirstOrDefault(f => !before.Contains(f) && !Path.GetFileName(f).StartsWith('.')) is { } created)
            {
                await Task.Delay(100, Ct);
                var output = await File.ReadAllTextAsync(created, Ct);
                Assert.DoesNotContain(patient, output, StringComparison.Ordinal);
                var token = System.Text.RegularExpressions.Regex.Match(output, "tok:r:[A-Z2-7]+").Value;
                Assert.NotEmpty(token);
                return token;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"no new file in {folder}\n{sinew.Output}");
    }

    private static async Task<string?> ResolveAsync(SinewProcess sinew, string token)
    {
        using var response = await sinew.Http.PostAsJsonAsync("api/v1/tokens/resolve", new { token, reason = "rotation check" }, Ct);
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("value").GetString() : null;
    }

    private async Task<List<(string KeyId, long? LookupVersion)>> VaultRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "vault.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, lookup_version FROM tokens";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, long?)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }
        return rows;
    }

    [Fact]
    public async Task KeysRotate_VaultTokensMadeUnderOldKek_ResolveAfterRotationWithOldKekAndOldTokenVersionRetired()
    {
        WriteKeys(["kek-1"], "kek-1", [1], 1);
        _folder.Write("config/channels/hl7.yaml", """
            name: hl7
            source: {type: http}
            destinations:
              - name: analytics
                type: file
                path: analytics
                extension: .hl7
                maxSensitivity: phi
                deidentify: {drop: [PID-5], tokenize: [PID-3.1]}
            """);
        var analytics = Path.Combine(Data, "analytics");
        string first, second;
        await using (var sinew = await SinewProcess.StartAsync(Config, Data))
        {
            first = await TokenizeAsync(sinew, analytics, $"{Canary}-A");
            second = await TokenizeAsync(sinew, analytics, $"{Canary}-B");
            Assert.NotEqual(first, second);
        }
        Assert.All(await VaultRowsAsync(), row => Assert.Equal("kek-1", row.KeyId));

        // The new KEK and tokenization version become active beside the old ones; rotation runs while Sinew runs.
        WriteKeys(["kek-1", "kek-2"], "kek-2", [1, 2], 2);
        await using (var running = await SinewProcess.StartAsync(Config, Data))
        {
            Assert.Equal($"{Canary}-A", await ResolveAsync(running, first));
            var (exit, output, error) = await SinewProcess.RunCliAsync("keys", "rotate", "--data", Data, "--config", Config, "--batch", "1");
            Assert.True(exit == 0, output + error);
            Assert.Contains("re-sealed 2 token vault entr(ies) under key 'kek-2'", output, StringComparison.Ordinal);
            Assert.Equal($"{Canary}-B", await ResolveAsync(running, second));
        }
        Assert.All(await VaultRowsAsync(), row => Assert.Equal(("kek-2", (long?)2), row));

        // Both old keys retired: the tokens still resolve, and the same patient still gets the same surrogate.
        WriteKeys(["kek-2"], "kek-2", [2], 2);
        await using (var after = await SinewProcess.StartAsync(Config, Data))
        {
            Assert.Equal($"{Canary}-A", await ResolveAsync(after, first));
            Assert.Equal($"{Canary}-B", await ResolveAsync(after, second));
            Assert.Equal(first, await TokenizeAsync(after, analytics, $"{Canary}-A"));
            Assert.DoesNotContain(Canary, after.Output, StringComparison.Ordinal);
        }
        Assert.Equal(2, (await VaultRowsAsync()).Count);

        var export = await SinewProcess.RunCliAsync("audit", "export", "--data", Data, "--format", "jsonl");
        var rotations = export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("record"))
            .Where(r => r.GetProperty("action").GetString() == "key.rotate").ToList();
        var rotation = Assert.Single(rotations);
        Assert.Equal("key/kek-2", rotation.GetProperty("target").GetString());
        Assert.Contains("re-sealed 2 token vault entr(ies)", rotation.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, export.Output, StringComparison.Ordinal);
        var verify = await SinewProcess.RunCliAsync("audit", "verify", "--data", Data);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task KeysRotate_VaultButNoTokenizationSection_RefusesBeforeChangingAnything()
    {
        WriteKeys(["kek-1"], "kek-1", [1], 1);
        _folder.Write("config/channels/hl7.yaml", """
            name: hl7
            source: {type: http}
            destinations: [{name: analytics, type: file, path: analytics, extension: .hl7, maxSensitivity: phi, deidentify: {tokenize: [PID-3.1]}}]
            """);
        await using (var sinew = await SinewProcess.StartAsync(Config, Data))
        {
            await TokenizeAsync(sinew, Path.Combine(Data, "analytics"), $"{Canary}-A");
        }
        _folder.Write("config/sinew.yaml", $"encryption:\n  keys:\n    - {{ id: kek-1, key: '{Key("kek-1")}' }}\n    - {{ id: kek-2, key: '{Key("kek-2")}' }}\n  active: kek-2\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("keys", "rotate", "--data", Data, "--config", Config);
        Assert.Equal(2, exit);
        Assert.Contains("no tokenization: section", error, StringComparison.Ordinal);
        Assert.All(await VaultRowsAsync(), row => Assert.Equal("kek-1", row.KeyId));
    }

    public void Dispose() => _folder.Dispose();
}
