namespace Sinew.Fhir.Tests;

/// <summary>The <c>fhir</c> source's settings as <c>sinew validate</c> checks them.</summary>
public sealed class FhirConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string Channel(string name, string resources) => $"""
        name: {name}
        source:
          type: fhir
          resources: {resources}
        destinations:
          - name: out
            type: file
            maxSensitivity: phi
            path: out/{name}
        """;

    [Fact]
    public async Task Validate_TwoChannelsTakeSupplyDelivery_IsAConfigErrorNamingBoth()
    {
        _folder.Write("channels/a.yaml", Channel("first", "[SupplyDelivery]"));
        _folder.Write("channels/b.yaml", Channel("second", "[SupplyDelivery]"));

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("b.yaml:4:", error, StringComparison.Ordinal);
        Assert.Contains("resource type 'SupplyDelivery' is already taken by channel 'first'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownResourceType_IsAConfigError()
    {
        _folder.Write("channels/a.yaml", Channel("first", "[Supplydelivery]"));

        var (exit, _, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("'Supplydelivery' is not a FHIR R4 resource type", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FhirChannelWithDefaults_Passes()
    {
        _folder.Write("channels/a.yaml", "name: first\nsource:\n  type: fhir\ndestinations:\n  - name: out\n    type: file\n    maxSensitivity: phi\n    path: out/first\n");

        var (exit, output, error) = await SinewProcess.RunCliAsync("validate", "--config", _folder.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("OK: 1 channel(s)", output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
