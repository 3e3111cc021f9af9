namespace Sinew.Security.Tests;

/// <summary><c>sinew validate</c> applies the loopback rule too, so the mistake is caught before a deployment, not at start.</summary>
public sealed class ValidateExposureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Validate_NetworkListenerWithoutSecurity_IsAnErrorSayingHowToFix()
    {
        _folder.Write("config/sinew.yaml", "http:\n  listen: 0.0.0.0:18080\n");
        _folder.Write("config/channels/in.yaml", "name: in\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Combine("config"), "--data", _folder.Combine("data"));

        Assert.NotEqual(0, exit);
        Assert.Contains("security", output + error, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:18080", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_LoopbackWithoutSecurity_Passes()
    {
        _folder.Write("config/sinew.yaml", "http:\n  listen: 127.0.0.1:18080\n");
        _folder.Write("config/channels/in.yaml", "name: in\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Combine("config"), "--data", _folder.Combine("data"));

        Assert.True(exit == 0, output + error);
    }
}
