using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Engine.Config;
using Sinew.Mapping.Crosswalks;

namespace Sinew.Mapping.Tests;

/// <summary>Crosswalk rows pulled from a system (the ERP) merge under the CSV file's, on a schedule, and a failed pull is named.</summary>
public sealed class CrosswalkRefreshTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A unit-test stand-in for an ERP's product list (the real one is tested against Tryton).</summary>
    private sealed class ListSource(Func<IReadOnlyList<IReadOnlyDictionary<string, string>>> rows) : ICrosswalkSource
    {
        public Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(rows());
    }

    private static Dictionary<string, string> Row(string key, string product) => new() { ["supplyCode"] = key, ["erpProduct"] = product };

    [Fact]
    public async Task Refresh_PulledRowsAreUsed_AndTheCsvWinsOnTheSameKey()
    {
        var file = _folder.Write("items.csv", "supplyCode,erpProduct\nA,FROM-CSV\n");
        var crosswalk = new Crosswalk("items", file, "supplyCode", null, new ListSource(() => [Row("A", "FROM-ERP"), Row("B", "ERP-B")]), TimeSpan.FromHours(1));
        Assert.Throws<Inputs.MappingException>(() => crosswalk.Get("B", "erpProduct"));

        Assert.Equal(2, await crosswalk.RefreshAsync(TestContext.Current.CancellationToken));

        Assert.Equal("ERP-B", crosswalk.Get("B", "erpProduct"));
        Assert.Equal("FROM-CSV", crosswalk.Get("A", "erpProduct"));
    }

    [Fact]
    public async Task RefreshLoop_AFailingPull_IsNamedInTheMissingRowReason()
    {
        var file = _folder.Write("items.csv", "supplyCode,erpProduct\n");
        var crosswalk = new Crosswalk("items", file, "supplyCode", "no ERP product for supply code {key}", new ListSource(() => throw new HttpRequestException("connection refused")), TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();

        crosswalk.StartRefreshing(NullLogger.Instance, stop.Token);
        string? reason = null;
        for (var i = 0; i < 100 && reason?.Contains("refresh failed", StringComparison.Ordinal) != true; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            reason = Assert.Throws<Inputs.MappingException>(() => crosswalk.Get("Z", "erpProduct")).Message;
        }
        await stop.CancelAsync();

        Assert.Equal("no ERP product for supply code Z (its refresh failed: connection refused)", reason);
    }

    [Fact]
    public async Task MappingFile_RefreshSection_BuildsTheRegisteredSource()
    {
        CrosswalkSources.Register("test-list", (settings, _) =>
        {
            var product = settings.GetString("product", required: true);
            return new ListSource(() => [Row("K", product!)]);
        });
        _folder.Write("items.csv", "supplyCode,erpProduct\n");
        var path = _folder.Write("m.yaml", """
            produces: Item/1
            input: json
            crosswalks:
              items:
                file: items.csv
                key: supplyCode
                refresh: { type: test-list, every: 5m, product: P-K }
            fields:
              code: code
              name: lookup('items', code, 'erpProduct')
            """);
        var diagnostics = new ConfigDiagnostics();

        var mapping = MappingDefinition.Load(path, diagnostics, Repo.Context(_folder.Path));

        Assert.True(mapping is not null, string.Join(Environment.NewLine, diagnostics.Errors));
        await mapping!.Crosswalks["items"].RefreshAsync(TestContext.Current.CancellationToken);
        var result = new Mapper(mapping).Map(Encoding.UTF8.GetBytes("""{"code":"K"}"""));
        Assert.Equal("P-K", (string?)result.Records[0]["name"]);
    }
}
