namespace Sinew.Engine.Config;

/// <summary>The errors found while loading configuration; loading goes on to report them all at once.</summary>
public sealed class ConfigDiagnostics
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(ConfigError error) => _errors.Add(error);

    public void Add(string file, int line, int column, string setting, string message) =>
        _errors.Add(new ConfigError(file, line, column, setting, message));
}
