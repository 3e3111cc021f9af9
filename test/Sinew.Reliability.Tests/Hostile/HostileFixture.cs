using Sinew.Reliability.Tests.Support;

namespace Sinew.Reliability.Tests.Hostile;

/// <summary>
/// One real <c>sinew run</c> for the hostile-input catalogue, with a channel per case so each case can show that
/// nothing of its input was stored. Watches the child's resident memory so each case can show it stayed bounded.
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    internal SinewProcess Sinew { get; private set; } = null!;

    public string Data => _folder.Combine("data");

    public int MllpPort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _folder.Write("config/channels/big-http.yaml", "name: big-http\nsource: {type: http, maxBodyBytes: 1MB}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/big-http}]\n");
        _folder.Write("config/channels/utf8.yaml", "name: utf8\nsource: {type: http, requireUtf8: true}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/utf8}]\n");
        _folder.Write("config/channels/raw.yaml", "name: raw\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/raw, extension: .bin}]\n");
        _folder.Write("config/channels/search.yaml", "name: search\nsource: {type: http}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/search}]\n");
        _folder.Write("config/channels/fhir.yaml", "name: fhir\nsource: {type: fhir, resources: [SupplyDelivery], maxBodyBytes: 8MB}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/fhir}]\n");
        _folder.Write("config/channels/drop.yaml", "name: drop\nsource: {type: file, path: in/drop, pattern: \"*\", pollInterval: 200ms, settle: 200ms}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out/drop}]\n");
        _folder.Write("config/channels/mllp.yaml", """
            name: mllp
            source:
              type: mllp
              listen: 127.0.0.1:0
              validate: false
              maxFrameBytes: 64KB
              maxConnections: 2000
            destinations: [{name: out, type: file, maxSensitivity: phi, path: out/mllp}]
            """);
        Sinew = await SinewProcess.StartAsync(_folder.Combine("config"), Data);
        MllpPort = SinewOutput.MllpPort(Sinew, "mllp");
    }

    public long Rss => ChildProcess.RssBytes(Sinew.Id);

    public async Task<long> TotalAsync(string channel) => (await Sinew.CountsAsync(channel)).GetProperty("total").GetInt64();

    /// <summary>The process answers <c>/health/live</c>.</summary>
    public async Task<bool> IsLiveAsync()
    {
        using var response = await Sinew.Http.GetAsync("health/live");
        return response.IsSuccessStatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Sinew.DisposeAsync();
        _folder.Dispose();
    }
}
