using Sinew.Core.Delivery;
using Sinew.Core.Pipeline;
using Sinew.Engine.Sources;

namespace Sinew.Engine.Config;

/// <summary>Builds a connector or step from its settings; reports problems on the section and may return null.</summary>
public delegate T? ConnectorFactory<out T>(ConfigSection settings, ConnectorContext context) where T : class;

/// <summary>
/// Reads a module's top-level section of <c>sinew.yaml</c> (null when the file has none) into the module's settings;
/// reports problems on the section. <paramref name="configDirectory"/> resolves relative paths.
/// </summary>
public delegate object? ConfigSectionReader(ConfigSection? section, string configDirectory);

/// <summary>The source, step and destination types a configuration may name, each with its factory.</summary>
public sealed class ConnectorRegistry
{
    private readonly Dictionary<string, ConnectorFactory<ISource>> _sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ConnectorFactory<IPipelineStep>> _steps = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ConnectorFactory<IDestination>> _destinations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ConfigSectionReader> _sections = new(StringComparer.Ordinal);

    public ConnectorRegistry AddSource(string type, ConnectorFactory<ISource> factory)
    {
        _sources[type] = factory;
        return this;
    }

    public ConnectorRegistry AddStep(string type, ConnectorFactory<IPipelineStep> factory)
    {
        _steps[type] = factory;
        return this;
    }

    public ConnectorRegistry AddDestination(string type, ConnectorFactory<IDestination> factory)
    {
        _destinations[type] = factory;
        return this;
    }

    /// <summary>Lets a module own a top-level section of <c>sinew.yaml</c> (otherwise an unknown key is an error).</summary>
    public ConnectorRegistry AddSection(string key, ConfigSectionReader reader)
    {
        _sections[key] = reader;
        return this;
    }

    internal IReadOnlyDictionary<string, ConfigSectionReader> Sections => _sections;

    public IEnumerable<string> SourceTypes => _sources.Keys.Order();

    public IEnumerable<string> StepTypes => _steps.Keys.Order();

    public IEnumerable<string> DestinationTypes => _destinations.Keys.Order();

    internal bool TryGetSource(string type, out ConnectorFactory<ISource> factory) => _sources.TryGetValue(type, out factory!);

    internal bool TryGetStep(string type, out ConnectorFactory<IPipelineStep> factory) => _steps.TryGetValue(type, out factory!);

    internal bool TryGetDestination(string type, out ConnectorFactory<IDestination> factory) => _destinations.TryGetValue(type, out factory!);
}
