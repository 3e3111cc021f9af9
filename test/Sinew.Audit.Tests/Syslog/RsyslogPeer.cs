using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Sinew.Audit.Tests.Syslog;

/// <summary>
/// A private Debian <c>rsyslogd</c> (<c>-n -f CONF -i PIDFILE</c>, its own work folder) with an <c>imtcp</c> listener on the
/// <c>gtls</c> driver (RFC 5425) on a free loopback port, writing what it receives to a file one message per line; stopped
/// (SIGTERM) and started again on the same port by tests, killed on dispose.
/// </summary>
internal sealed partial class RsyslogPeer : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/rsyslogd";
    private readonly string _folder;
    private readonly TestPki _pki;
    private readonly bool _requireClientCertificate;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public RsyslogPeer(string folder, TestPki pki, bool requireClientCertificate = false)
    {
        _folder = folder;
        _pki = pki;
        _requireClientCertificate = requireClientCertificate;
        Directory.CreateDirectory(Path.Combine(folder, "work"));
        Port = Ports.Free();
    }

    /// <summary>Why the tests cannot run here, or null when rsyslogd and its TLS driver are installed.</summary>
    public static string? Missing { get; } = FindMissing();

    public int Port { get; }

    public string ReceivedFile => Path.Combine(_folder, "received.log");

    private string ConfigFile => Path.Combine(_folder, "rsyslog.conf");

    private string PidFile => Path.Combine(_folder, "rsyslogd.pid");

    private static string? FindMissing()
    {
        if (!File.Exists(Executable))
        {
            return "rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; .ci/run does it)";
        }
        var drivers = new[] { "/usr/lib/x86_64-linux-gnu/rsyslog", "/usr/lib/aarch64-linux-gnu/rsyslog", "/usr/lib/rsyslog" };
        return drivers.Any(d => File.Exists(Path.Combine(d, "lmnsd_gtls.so")))
            ? null
            : "rsyslog's TLS driver lmnsd_gtls.so is not installed (apt-get install rsyslog-gnutls; .ci/run does it)";
    }

    /// <summary>Starts rsyslogd and waits until its TLS port accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var authMode = _requireClientCertificate ? "x509/certvalid" : "anon";
        File.WriteAllText(ConfigFile, $$"""
            global(workDirectory="{{Path.Combine(_folder, "work")}}"
                   defaultNetstreamDriver="gtls"
                   defaultNetstreamDriverCAFile="{{_pki.CaFile}}"
                   defaultNetstreamDriverCertFile="{{_pki.ServerCertificateFile}}"
                   defaultNetstreamDriverKeyFile="{{_pki.ServerKeyFile}}")
            module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="{{authMode}}")
            template(name="received" type="string" string="%msgid%\t%pri%\t%app-name%\t%hostname%\t%structured-data%\t%msg%\n")
            ruleset(name="audit") { action(type="omfile" file="{{ReceivedFile}}" template="received") }
            input(type="imtcp" port="{{Port}}" address="127.0.0.1" ruleset="audit")
            """);
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-n", "-f", ConfigFile, "-i", PidFile })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"rsyslogd exited with {process.ExitCode} at start:\n{Output}");
            }
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"rsyslogd did not listen on {Port} within 30 s:\n{Output}");
    }

    /// <summary>SIGTERM, as a service manager stops it; waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        SendSignal(process.Id, 15);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        _process = null;
    }

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

    /// <summary>The messages received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Received()
    {
        if (!File.Exists(ReceivedFile))
        {
            return [];
        }
        using var stream = new FileStream(ReceivedFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // A line still being written has fewer fields; it is read next time.
        return lines.Select(ReceivedMessage.Parse).OfType<ReceivedMessage>().ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(int count, Func<string> diagnostics, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 600; i++)
        {
            var received = Received();
            if (received.Count >= count)
            {
                return received;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"rsyslogd received {Received().Count} of {count} message(s) within 60 s\nrsyslogd:\n{Output}\n{diagnostics()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
            _process = null;
        }
    }
}

/// <summary>One message as rsyslogd parsed it: MSGID, PRI, APP-NAME, HOSTNAME, the structured data's parameters and MSG.</summary>
internal sealed partial record ReceivedMessage(string MessageId, int Priority, string AppName, string HostName, string StructuredData, IReadOnlyDictionary<string, string> Params, string Message)
{
    public long Sequence => long.Parse(Params["seq"], System.Globalization.CultureInfo.InvariantCulture);

    public static ReceivedMessage? Parse(string line)
    {
        var fields = line.Split('\t');
        if (fields.Length < 6)
        {
            return null;
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Param().Matches(fields[4]))
        {
            parameters[match.Groups[1].Value] = Regex.Replace(match.Groups[2].Value, @"\\(.)", "$1");
        }
        return new ReceivedMessage(fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[2], fields[3], fields[4], parameters, string.Join('\t', fields[5..]));
    }

    [GeneratedRegex(@"([A-Za-z]+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Param();
}
