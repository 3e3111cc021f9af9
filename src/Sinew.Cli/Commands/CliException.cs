namespace Sinew.Cli.Commands;

/// <summary>A problem the user can fix; printed without a stack trace, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
