namespace Sinew.Security;

/// <summary>Sinew may not start as configured: it would be reachable without authentication, or could not identify its senders.</summary>
public sealed class SecurityConfigurationException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
