using Sinew.Engine.Config;

namespace Sinew.Erp.Tryton.Tests;

public sealed class TrytonSettingsTests
{
    [Fact]
    public void Read_FullDestinationSection_GivesEverySetting()
    {
        using var folder = new TempFolder();
        folder.Write("secrets/tryton", "s3cret\n");
        var diagnostics = new ConfigDiagnostics();

        var settings = TrytonDestinationSettings.Read(TrytonFixture.Section("""
            url: http://127.0.0.1:8000
            database: erp
            user: sinew
            password: file:secrets/tryton
            consumptionLocation: CLIN-CONS
            batchSize: 20
            batchWindow: 50ms
            """, folder.Path, diagnostics));

        Assert.Empty(diagnostics.Errors);
        Assert.NotNull(settings);
        Assert.Equal(new Uri("http://127.0.0.1:8000/erp/"), settings.Connection.Endpoint);
        Assert.Equal(("sinew", "s3cret", "CLIN-CONS", 20, TimeSpan.FromMilliseconds(50)), (settings.Connection.User, settings.Connection.Password, settings.ConsumptionLocation, settings.BatchSize, settings.BatchWindow));
        Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LiteralPassword_IsRefusedOnItsLine()
    {
        var diagnostics = new ConfigDiagnostics();

        var settings = TrytonDestinationSettings.Read(TrytonFixture.Section("""
            url: http://127.0.0.1:8000/
            database: erp
            user: admin
            password: admin
            consumptionLocation: CLIN-CONS
            """, Path.GetTempPath(), diagnostics));

        Assert.Null(settings);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal("destinations[0].password", error.Setting);
        Assert.Contains("reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingSettings_AreEachReported()
    {
        var diagnostics = new ConfigDiagnostics();

        var settings = TrytonDestinationSettings.Read(TrytonFixture.Section("url: ftp://erp\n", Path.GetTempPath(), diagnostics));

        Assert.Null(settings);
        Assert.Equal(
            ["destinations[0].consumptionLocation", "destinations[0].database", "destinations[0].password", "destinations[0].url", "destinations[0].user"],
            diagnostics.Errors.Select(e => e.Setting).Order(StringComparer.Ordinal));
    }
}
