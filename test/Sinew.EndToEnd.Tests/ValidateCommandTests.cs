namespace Sinew.EndToEnd.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Validate_Quickstart_Passes()
    {
        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", Path.Combine(SinewProcess.RepoRoot, "samples", "quickstart"));

        Assert.True(exit == 0, error);
        Assert.Contains("OK: 5 channel(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenChannel_NamesFileLineAndSettingAndExitsNonZero()
    {
        _folder.Write("channels/bad.yaml", "name: bad\nsource:\n  type: http\ndestinations:\n  - name: out\n    type: file\n    pathh: out\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml:7:5: destinations[0].pathh: is not a known setting here", error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:5:5: destinations[0].path: is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokenConfig_RefusesToStartAndSaysWhy()
    {
        _folder.Write("channels/bad.yaml", "name: bad\nsource: {type: http}\ndestinations: [{name: out, type: http, url: 'http://127.0.0.1:9/x', headers: {Authorization: 'Bearer literal-token'}}]\n");

        var (exit, _, error) = await SinewProcess.RunCliAsync("run", "--config", _folder.Path, "--data", _folder.Combine("data"), "--http", "127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Contains("never literal text", error, StringComparison.Ordinal);
        Assert.DoesNotContain("literal-token", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
