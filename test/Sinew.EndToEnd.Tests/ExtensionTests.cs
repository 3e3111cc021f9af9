using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sinew.EndToEnd.Tests;

/// <summary>A user's own step, built in their own assembly and dropped in the extensions folder.</summary>
public sealed class ExtensionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string SampleAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(SinewProcess.RepoRoot, "samples", "extensions", "Sinew.Samples.Extensions", "bin", configuration, "net10.0", "Sinew.Samples.Extensions.dll");
    }

    [Fact]
    public async Task ExtensionStep_FromTheExtensionsFolder_TransformsMessagesAndItsFailuresGoToTheExceptionQueue()
    {
        Assert.True(File.Exists(SampleAssembly()), "the sample extension is built with the solution: " + SampleAssembly());
        Directory.CreateDirectory(_folder.Combine("config", "extensions"));
        File.Copy(SampleAssembly(), _folder.Combine("config", "extensions", "Sinew.Samples.Extensions.dll"));
        _folder.Write("config/sinew.yaml", "extensions: extensions\n");
        _folder.Write("config/channels/ext.yaml", """
            name: ext
            source: {type: http}
            steps:
              - name: rename-facility
                type: extension
                class: Sinew.Samples.Extensions.ReplaceTextStep
                settings: {find: OLDFAC, replace: NEWFAC, requireMatch: "true"}
            destinations: [{name: out, type: file, maxSensitivity: phi, path: out, extension: .txt}]
            """);
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), _folder.Combine("data"));

        using var good = await sinew.Http.PostAsync("in/ext", new StringContent("MSH|^~\\&|APP|OLDFAC"), TestContext.Current.CancellationToken);
        using var bad = await sinew.Http.PostAsync("in/ext", new StringContent("no facility here"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);

        var folder = _folder.Combine("data", "out");
        for (var i = 0; i < 100 && !(Directory.Exists(folder) && Directory.GetFiles(folder, "*.txt").Length == 1); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal("MSH|^~\\&|APP|NEWFAC", await File.ReadAllTextAsync(Directory.GetFiles(folder, "*.txt").Single(), TestContext.Current.CancellationToken));
        JsonElement exceptions = default;
        for (var i = 0; i < 100; i++)
        {
            exceptions = await sinew.Http.GetFromJsonAsync<JsonElement>("api/v1/exceptions", TestContext.Current.CancellationToken);
            if (exceptions.GetArrayLength() == 1)
            {
                break;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        var entry = exceptions.EnumerateArray().Single();
        Assert.Equal("rename-facility", entry.GetProperty("step").GetString());
        Assert.Equal("'OLDFAC' not found", entry.GetProperty("reason").GetString());
    }

    public void Dispose() => _folder.Dispose();
}
