// Shared by the test projects that run the real `sinew` process (linked into each, not a library of its own).
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sinew.Testing;

/// <summary>A real <c>sinew run</c> child process, as a user starts it; killed, stopped and restarted by tests.</summary>
internal sealed partial class SinewProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SinewProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sinew.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Sinew.slnx) above " + AppContext.BaseDirectory);
    }

    public static string SinewDll => Path.Combine(AppContext.BaseDirectory, "sinew.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        info.ArgumentList.Add(SinewDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    /// <summary>Starts <c>sinew run</c> on a free port and waits until it says it is ready.</summary>
    public static Task<SinewProcess> StartAsync(string configDirectory, string dataDirectory) =>
        StartAsync(configDirectory, dataDirectory, "127.0.0.1:0");

    /// <summary>
    /// Starts <c>sinew run</c> with <c>--http <paramref name="httpListen"/></c> (e.g. <c>https://127.0.0.1:0</c> when
    /// <c>security.https</c> is configured; <see cref="BaseUrl"/> then is https and <see cref="Http"/> does not trust the
    /// test's CA, so such tests bring their own client).
    /// </summary>
    public static async Task<SinewProcess> StartAsync(string configDirectory, string dataDirectory, string httpListen)
    {
        var process = Process.Start(StartInfo("run", "--config", configDirectory, "--data", dataDirectory, "--http", httpListen))!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SinewProcess? created = null;
        void OnLine(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("sinew exited before it was ready:\n" + output));
                ready.TrySetException(new InvalidOperationException("sinew exited before it was ready:\n" + output));
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
            if (created is not null)
            {
                lock (created._output)
                {
                    created._output.AppendLine(line);
                }
            }
            const string marker = "Sinew listening on ";
            if (line.StartsWith(marker, StringComparison.Ordinal))
            {
                var url = line[marker.Length..].Split(' ', ',')[0];
                listening.TrySetResult(new Uri(url));
            }
            if (line.StartsWith("Sinew ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (created is not null)
            {
                lock (created._output)
                {
                    created._output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            created = new SinewProcess(process, url);
            lock (output)
            {
                created._output.Append(output);
            }
            return created;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>SIGKILL: no chance to clean up, as in a power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        SendSignal(_process.Id, 15);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Runs a one-shot <c>sinew</c> command and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output, await error);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
