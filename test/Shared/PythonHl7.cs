using System.Diagnostics;

namespace Sinew.Testing;

/// <summary>Finds Debian's python3-hl7 (an interpreter that imports <c>hl7.mllp</c>, and the <c>mllp_send</c> tool) and runs it.</summary>
internal static class PythonHl7
{
    public const string Missing = "python3-hl7 is not installed (apt-get install -y python3-hl7); the interop tests need a real third-party MLLP peer.";

    private static readonly Lazy<string?> Interpreter = new(FindInterpreter);
    private static readonly Lazy<string?> SendTool = new(() => FindOnPath("mllp_send"));

    public static string? Python => Interpreter.Value;

    public static string? MllpSend => SendTool.Value;

    /// <summary>Runs a program to completion with a timeout and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    private static string? FindInterpreter()
    {
        // Debian's package installs into the system interpreter; a pyenv or venv python3 earlier on PATH will not see it.
        foreach (var candidate in new[] { "/usr/bin/python3", FindOnPath("python3") })
        {
            if (candidate is null || !File.Exists(candidate))
            {
                continue;
            }

            try
            {
                var (exitCode, _, _) = RunAsync(candidate, ["-c", "import hl7.mllp"], TimeSpan.FromSeconds(20), CancellationToken.None).GetAwaiter().GetResult();
                if (exitCode == 0)
                {
                    return candidate;
                }
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException)
            {
                // Not runnable: try the next one.
            }
        }

        return null;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
