using Sinew.Engine.Config;
using Sinew.Engine.Sources;

namespace Sinew.Engine.Tests;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private (SinewConfig? Config, ConfigDiagnostics Diagnostics) Load() =>
        ConfigLoader.Load(_folder.Path, _folder.Combine("data"), BuiltInConnectors.Register(new ConnectorRegistry()));

    private const string GoodChannel = """
        name: orders
        source:
          type: http
        partitionKey: header:X-Partition-Key
        destinations:
          - name: archive
            type: file
            maxSensitivity: phi
            path: out/orders
        """;

    [Fact]
    public void Load_ValidChannel_BuildsSourceStepsAndDestinations()
    {
        _folder.Write("channels/orders.yaml", GoodChannel);

        var (config, diagnostics) = Load();

        Assert.Empty(diagnostics.Errors);
        var channel = Assert.Single(config!.Channels);
        Assert.Equal("orders", channel.Name);
        Assert.IsType<HttpSource>(channel.Source);
        Assert.Equal(PartitionKeySource.Header, channel.PartitionKey.Source);
        Assert.Equal("archive", Assert.Single(channel.Destinations).Name);
    }

    [Fact]
    public void Load_UnknownSetting_NamesFileLineAndSetting()
    {
        _folder.Write("channels/orders.yaml", GoodChannel + "\n    retyr:\n      maxAttempts: 3\n");

        var (config, diagnostics) = Load();

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.EndsWith("orders.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(10, error.Line);
        Assert.Equal("destinations[0].retyr", error.Setting);
        Assert.Contains("not a known setting", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: ../../etc\nsource: {type: http}\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "name")]
    [InlineData("name: a\nsource: {type: carrier-pigeon}\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "source.type")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: file, maxSensitivity: phi}]", "destinations[0].path")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x, timeout: soon}]", "destinations[0].timeout")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: http, maxSensitivity: phi, url: 'http://x', headers: {Authorization: 'Bearer abc'}}]", "destinations[0].headers.Authorization")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: http, maxSensitivity: phi, url: 'http://169.254.169.254/latest'}]", "destinations[0].url")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: http, maxSensitivity: phi, url: 'file:///etc/passwd'}]", "destinations[0].url")]
    [InlineData("name: a\nsource: {type: http}\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x, retry: {maxAttempts: 0}}]", "destinations[0].retry.maxAttempts")]
    [InlineData("name: a\nsource: {type: http}\norder: random\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "order")]
    [InlineData("name: a\nsource: {type: http}\npartitionKey: patient\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "partitionKey")]
    [InlineData("name: a\nsource: {type: file, path: in, pattern: '../*'}\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "source.pattern")]
    [InlineData("name: a\nsource: {type: http}\nsteps: [{type: filter, matches: '(unclosed'}]\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "steps[0].matches")]
    [InlineData("name: a\nsource: {type: http}\nsteps: [{type: extension, class: Nope.Step}]\ndestinations: [{name: a, type: file, maxSensitivity: phi, path: x}]", "steps[0].class")]
    public void Load_BadSetting_IsReportedWithItsPath(string yaml, string setting)
    {
        _folder.Write("channels/a.yaml", yaml);

        var (config, diagnostics) = Load();

        Assert.Null(config);
        Assert.Contains(diagnostics.Errors, e => e.Setting == setting);
        Assert.All(diagnostics.Errors, e => Assert.True(e.Line > 0, e.ToString()));
    }

    [Fact]
    public void Load_SecretFromEnvironment_IsResolvedNotStored()
    {
        Environment.SetEnvironmentVariable("SINEW_TEST_TOKEN", "s3cret");
        _folder.Write("channels/a.yaml", "name: a\nsource: {type: http}\ndestinations: [{name: a, type: http, maxSensitivity: phi, url: 'http://127.0.0.1:9/x', headers: {Authorization: 'env:SINEW_TEST_TOKEN'}}]");

        var (config, diagnostics) = Load();

        Assert.Empty(diagnostics.Errors);
        Assert.NotNull(config);
    }

    [Fact]
    public void Load_MissingEnvironmentSecret_SaysWhichVariable()
    {
        _folder.Write("channels/a.yaml", "name: a\nsource: {type: http}\ndestinations: [{name: a, type: http, maxSensitivity: phi, url: 'http://127.0.0.1:9/x', headers: {X-Api-Key: 'env:SINEW_TEST_MISSING_VAR'}}]");

        var (_, diagnostics) = Load();

        Assert.Contains(diagnostics.Errors, e => e.Message.Contains("SINEW_TEST_MISSING_VAR", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DuplicateChannelNames_AreRefused()
    {
        _folder.Write("channels/a.yaml", GoodChannel);
        _folder.Write("channels/b.yaml", GoodChannel);

        var (config, diagnostics) = Load();

        Assert.Null(config);
        Assert.Contains(diagnostics.Errors, e => e.Message.Contains("defined twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_YamlSyntaxError_IsLocated()
    {
        _folder.Write("channels/a.yaml", "name: a\nsource: [unclosed\n");

        var (_, diagnostics) = Load();

        var error = Assert.Single(diagnostics.Errors);
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("7d", 604_800_000)]
    public void Units_Duration_ParsesEachUnit(string text, double milliseconds)
    {
        Assert.True(Units.TryParseDuration(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("512KB", 512 * 1024)]
    [InlineData("10MB", 10 * 1024 * 1024)]
    public void Units_Size_ParsesEachUnit(string text, long bytes)
    {
        Assert.True(Units.TryParseSize(text, out var value));
        Assert.Equal(bytes, value);
    }

    public void Dispose() => _folder.Dispose();
}
