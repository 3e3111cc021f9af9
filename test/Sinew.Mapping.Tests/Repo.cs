using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Engine.Config;

namespace Sinew.Mapping.Tests;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples", "supply-consumption", "channels");

    public static ConnectorContext Context(string dataDirectory) =>
        new("test", dataDirectory, ExtensionCatalog.Empty, NullLoggerFactory.Instance);

    public static MappingDefinition Load(string path)
    {
        var diagnostics = new ConfigDiagnostics();
        var mapping = MappingDefinition.Load(path, diagnostics, Context(Path.GetTempPath()));
        Assert.True(mapping is not null, string.Join(Environment.NewLine, diagnostics.Errors));
        return mapping!;
    }

    private static string FindRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "Sinew.slnx")))
        {
            folder = Path.GetDirectoryName(folder);
        }
        return folder ?? throw new InvalidOperationException("run the tests inside the repository");
    }
}
