using Sinew.Engine.Config;

namespace Sinew.Host;

/// <summary>The configuration has errors; each names its file, line and setting.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigError> errors)
    : Exception($"The configuration has {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
