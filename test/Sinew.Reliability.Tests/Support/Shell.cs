using System.Diagnostics;

namespace Sinew.Reliability.Tests.Support;

/// <summary>Runs a system command (mount, cp) and returns its exit code and output.</summary>
internal static class Shell
{
    public static (int ExitCode, string Output) Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
