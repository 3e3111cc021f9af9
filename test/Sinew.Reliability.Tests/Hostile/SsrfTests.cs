using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>
/// SSRF through configurable URLs: a destination URL pointing at link-local or cloud-metadata addresses must be
/// refused by <c>sinew validate</c> (and so by <c>sinew run</c>), whichever way the address is spelled.
/// </summary>
public sealed class SsrfTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private async Task<(int ExitCode, string Output)> ValidateAsync(string destination)
    {
        _folder.Write("config/channels/ssrf.yaml", $"name: ssrf\nsource: {{type: http}}\ndestinations:\n  - name: out\n    maxSensitivity: phi\n{destination}");
        var (code, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Combine("config"));
        return (code, output + error);
    }

    public static TheoryData<string> MetadataUrls =>
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://169.254.0.1:8080/",
        "http://2852039166/",
        "http://0xa9.0xfe.0xa9.0xfe/",
        "http://[fe80::1%25eth0]/",
    ];

    public static TheoryData<string> DisguisedMetadataUrls =>
    [
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fd00:ec2::254]/",
    ];

    [Theory]
    [MemberData(nameof(MetadataUrls))]
    public async Task HttpDestinationUrl_AtLinkLocalOrMetadataAddress_IsRefused(string url)
    {
        var (code, output) = await ValidateAsync($"    type: http\n    url: {url}\n");
        Figures.Report("hostile", $"SSRF http url {url}: validate exit {code}: {output.Trim().ReplaceLineEndings(" ")}");
        Assert.NotEqual(0, code);
        Assert.Contains("link-local", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DisguisedMetadataUrls))]
    public async Task HttpDestinationUrl_AtDisguisedMetadataAddress_IsRefused(string url)
    {
        var (code, output) = await ValidateAsync($"    type: http\n    url: {url}\n");
        Assert.NotEqual(0, code);
        Assert.Contains("link-local", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrytonUrl_AtMetadataAddress_IsRefused()
    {
        var (code, output) = await ValidateAsync("    type: tryton\n    url: http://169.254.169.254/\n    database: erp\n    user: sinew\n    password: env:TRYTON_PASSWORD\n    consumptionLocation: CLIN-CONS\n");
        Assert.NotEqual(0, code);
        Assert.Contains("link-local", output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
