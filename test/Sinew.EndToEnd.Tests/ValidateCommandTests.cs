namespace Sinew.EndToEnd.Tests;

public sealed partial class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("quickstart", 5)]
    [InlineData("supply-consumption", 2)]
    public async Task Validate_EverySample_PassesWithEveryDestinationClassified(string sample, int channels)
    {
        var folder = CopyWithFileSecrets(Path.Combine(SinewProcess.RepoRoot, "samples", sample), _folder.Combine(sample));

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", folder);

        Assert.True(exit == 0, error);
        Assert.Contains($"OK: {channels} channel(s)", output, StringComparison.Ordinal);
        var files = Directory.GetFiles(Path.Combine(folder, "channels"), "*.yaml");
        Assert.Equal(channels, files.Length);
        Assert.All(files, file => Assert.Contains("maxSensitivity:", File.ReadAllText(file), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_DestinationWithoutClass_IsRefusedWithFileLineAndHowToFixIt()
    {
        _folder.Write("channels/adt.yaml", "name: adt\nsource: {type: mllp, listen: 127.0.0.1:0}\ndestinations:\n  - name: archive\n    type: file\n    path: out\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("adt.yaml:4:5: destinations[0].maxSensitivity: destination 'archive' declares no class: add maxSensitivity: phi", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RawHl7ToADestinationBelowPhi_RefusesToStartSayingHowToFixIt()
    {
        _folder.Write("channels/adt.yaml", "name: adt\nsource: {type: mllp, listen: 127.0.0.1:0}\ndestinations:\n  - name: analytics\n    type: file\n    path: out\n    maxSensitivity: internal\n");

        var (validateExit, _, validateError) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);
        var (runExit, _, runError) = await SinewProcess.RunCliAsync("run", "--config", _folder.Path, "--data", _folder.Combine("data"), "--http", "127.0.0.1:0");

        Assert.Equal(1, validateExit);
        Assert.Contains("adt.yaml:7:5: destinations[0].maxSensitivity: destination 'analytics' may receive at most internal", validateError, StringComparison.Ordinal);
        Assert.Contains("count as phi", validateError, StringComparison.Ordinal);
        Assert.Contains("add a deidentify profile", validateError, StringComparison.Ordinal);
        Assert.Equal(2, runExit);
        Assert.Contains("adt.yaml:7:5: destinations[0].maxSensitivity", runError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("data", "out")));
    }

    [Fact]
    public async Task Validate_RawHl7WithADeidentifyProfile_MayGoBelowPhi()
    {
        _folder.Write("channels/adt.yaml", "name: adt\nsource: {type: mllp, listen: 127.0.0.1:0}\ndestinations:\n  - name: analytics\n    type: file\n    path: out\n    maxSensitivity: internal\n    deidentify: {drop: [PID-5, PID-7, PID-11], tokenize: [PID-3.1]}\n");
        _folder.Write("sinew.yaml", "tokenization:\n  keys:\n    - {version: 1, key: file:tok.key}\n  active: 1\n");
        _folder.Write("tok.key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Validate_BrokenChannel_NamesFileLineAndSettingAndExitsNonZero()
    {
        _folder.Write("channels/bad.yaml", "name: bad\nsource:\n  type: http\ndestinations:\n  - name: out\n    type: file\n    pathh: out\n    maxSensitivity: phi\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml:7:5: destinations[0].pathh: is not a known setting here", error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:5:5: destinations[0].path: is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokenConfig_RefusesToStartAndSaysWhy()
    {
        _folder.Write("channels/bad.yaml", "name: bad\nsource: {type: http}\ndestinations: [{name: out, type: http, maxSensitivity: phi, url: 'http://127.0.0.1:9/x', headers: {Authorization: 'Bearer literal-token'}}]\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("run", "--config", _folder.Path, "--data", _folder.Combine("data"), "--http", "127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Contains("never literal text", error, StringComparison.Ordinal);
        Assert.DoesNotContain("literal-token", error, StringComparison.Ordinal);
    }

    /// <summary>Copies a sample, pointing its <c>env:</c> secret references at a file, so validating it needs no environment.</summary>
    private static string CopyWithFileSecrets(string source, string target)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            var text = File.ReadAllText(file);
            File.WriteAllText(copy, file.EndsWith(".yaml", StringComparison.Ordinal) ? EnvReference().Replace(text, "file:" + Path.Combine(target, "secret")) : text);
        }
        File.WriteAllText(Path.Combine(target, "secret"), "not-a-real-secret\n");
        return target;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"env:[A-Z_]+")]
    private static partial System.Text.RegularExpressions.Regex EnvReference();

    public void Dispose() => _folder.Dispose();
}
