namespace Sinew.Engine.Config;

/// <summary>One problem in a configuration file, located by file, line, column and setting path.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Setting, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Setting}: {Message}";
}
