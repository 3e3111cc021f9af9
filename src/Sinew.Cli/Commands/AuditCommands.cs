using System.CommandLine;

namespace Sinew.Cli.Commands;

/// <summary>Commands for the audit log and encryption keys.</summary>
internal static class AuditCommands
{
    public static IEnumerable<Command> Build() => [];
}
