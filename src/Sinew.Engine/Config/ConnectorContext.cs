using Microsoft.Extensions.Logging;

namespace Sinew.Engine.Config;

/// <summary>What a connector factory knows about where it is being built.</summary>
public sealed record ConnectorContext(string Channel, string DataDirectory, ExtensionCatalog Extensions, ILoggerFactory LoggerFactory)
{
    /// <summary>Resolves a path from a channel file: absolute as is, relative against the data folder.</summary>
    public string ResolveDataPath(string path) => Path.GetFullPath(path, DataDirectory);
}
