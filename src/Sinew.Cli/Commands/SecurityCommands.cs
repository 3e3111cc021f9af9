using System.CommandLine;

namespace Sinew.Cli.Commands;

/// <summary>Commands for identity and access (API keys, system clients).</summary>
internal static class SecurityCommands
{
    public static IEnumerable<Command> Build() => [];
}
