// Shared by the test projects that publish to or read from RabbitMQ (linked into each, not a library of its own).
// Needs the RabbitMQ.Client package (e.g. through a reference to Sinew.Connectors.RabbitMq) and Debian's rabbitmq-server.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RabbitMQ.Client;

namespace Sinew.Testing;

/// <summary>
/// A private RabbitMQ broker for one test class: its own node name, ports, data and log folders under /tmp, no
/// plugins, and a user with a random password — never the system service. It can be stopped and started again on
/// the same data, as a broker outage looks to Sinew.
/// </summary>
internal sealed class RabbitMqPeer : IAsyncDisposable
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string CtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _folder;
    private readonly int _distributionPort;
    private readonly StringBuilder _output = new();
    private Process? _server;

    private RabbitMqPeer(string folder, int port, int distributionPort, string password)
    {
        _folder = folder;
        Port = port;
        _distributionPort = distributionPort;
        Password = password;
        NodeName = $"sinew-test-{Guid.NewGuid():N}@localhost";
    }

    public string NodeName { get; }

    public int Port { get; }

    public string UserName => "sinew";

    public string Password { get; }

    /// <summary>The broker's AMQP URI without the password, as a Sinew channel file names it.</summary>
    public Uri Uri => new($"amqp://{UserName}@127.0.0.1:{Port}/%2f");

    /// <summary>How long the last start took, from launch until an AMQP login succeeded.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>What the broker printed, for a failure message.</summary>
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

    public bool IsRunning => _server is { HasExited: false };

    /// <summary>Starts a new broker on free ports and waits until its user can log in over AMQP.</summary>
    public static async Task<RabbitMqPeer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ServerScript) || !File.Exists(CtlScript))
        {
            throw new InvalidOperationException(
                $"RabbitMQ is not installed ({ServerScript} is missing): install the Debian package rabbitmq-server (.ci/run does).");
        }
        var folder = Path.Combine(Path.GetTempPath(), "sinew-rabbitmq-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var peer = new RabbitMqPeer(folder, Ports.Free(), Ports.Free(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        peer.WriteConfiguration();
        try
        {
            await peer.StartAsync(cancellationToken);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the broker (again) on the same data, port and user; waits until its user can log in.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }
        var started = Stopwatch.StartNew();
        var info = new ProcessStartInfo(ServerScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        SetEnvironment(info);
        _server = Process.Start(info)!;
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var factory = ConnectionFactory();
        Exception? last = null;
        while (started.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} exited during start with code {_server.ExitCode}:\n{Output}\n{LogTail()}");
            }
            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                LastStartDuration = started.Elapsed;
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"RabbitMQ node {NodeName} did not accept an AMQP login within {StartTimeout.TotalSeconds} s ({last?.Message}):\n{Output}\n{LogTail()}");
    }

    /// <summary>Stops the broker gracefully (<c>rabbitmqctl stop</c>), killing it if it does not go within a minute.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_server is null)
        {
            return;
        }
        if (!_server.HasExited)
        {
            try
            {
                await RunCtlAsync(cancellationToken, "stop");
                await _server.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // rabbitmqctl could not reach the node, or it did not halt in time: no graceful way left.
                _server.Kill(entireProcessTree: true);
                await _server.WaitForExitAsync(CancellationToken.None);
            }
        }
        _server.Dispose();
        _server = null;
    }

    /// <summary>A new connection as the test user, for a test's own reads and declarations.</summary>
    public Task<IConnection> ConnectAsync(CancellationToken cancellationToken = default) =>
        ConnectionFactory().CreateConnectionAsync(cancellationToken);

    /// <summary>
    /// Declares <paramref name="exchange"/> as Sinew does (durable topic) and a durable queue bound to it for
    /// <paramref name="bindingKey"/>; returns the queue's name. Durable so queued events survive a broker restart.
    /// </summary>
    public async Task<string> DeclareQueueAsync(string exchange, string bindingKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        var queue = "sinew-test-" + Guid.NewGuid().ToString("N")[..12];
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, exchange, bindingKey, cancellationToken: cancellationToken);
        return queue;
    }

    /// <summary>Takes every message now in <paramref name="queue"/> (basic.get with ack), with its properties.</summary>
    public async Task<IReadOnlyList<RabbitMqReceived>> GetAllAsync(string queue, CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var messages = new List<RabbitMqReceived>();
        while (await channel.BasicGetAsync(queue, autoAck: true, cancellationToken) is { } result)
        {
            messages.Add(new RabbitMqReceived(result.Exchange, result.RoutingKey, result.BasicProperties, result.Body.ToArray()));
        }
        return messages;
    }

    /// <summary>Runs <c>rabbitmqctl</c> against this node (same HOME, so the same Erlang cookie) and returns its output.</summary>
    public async Task<string> RunCtlAsync(CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo(CtlScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        info.ArgumentList.Add("-n");
        info.ArgumentList.Add(NodeName);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        SetEnvironment(info);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rabbitmqctl {string.Join(' ', args)} did not finish within 60 s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed with code {process.ExitCode}: {await output}{await error}");
        }
        return await output;
    }

    private ConnectionFactory ConnectionFactory() => new()
    {
        HostName = "127.0.0.1",
        Port = Port,
        UserName = UserName,
        Password = Password,
        VirtualHost = "/",
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// The new-style config: listen on loopback only, create the test user on first boot (its password never on a
    /// command line), no guest login, and a low disk limit so a nearly full /tmp on CI does not block publishers.
    /// </summary>
    private void WriteConfiguration()
    {
        File.WriteAllText(Path.Combine(_folder, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            default_user = {UserName}
            default_pass = {Password}
            default_permissions.configure = .*
            default_permissions.read = .*
            default_permissions.write = .*
            loopback_users = none
            disk_free_limit.absolute = 10MB
            log.console = false
            log.file.level = info
            """);
        File.WriteAllText(Path.Combine(_folder, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(_folder, "rabbitmq-env.conf"), "");
    }

    private void SetEnvironment(ProcessStartInfo info)
    {
        // HOME holds the Erlang cookie: the node and rabbitmqctl must read the same one, also when run as root.
        info.Environment["HOME"] = _folder;
        info.Environment["RABBITMQ_NODENAME"] = NodeName;
        info.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        info.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The default (node port + 20000) can be past 65535 for a high free port.
        info.Environment["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_folder, "rabbitmq-env.conf");
        info.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_folder, "rabbitmq.conf");
        info.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_folder, "advanced.config");
        info.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_folder, "enabled_plugins");
        info.Environment["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(_folder, "plugins-expand");
        info.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_folder, "mnesia");
        info.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_folder, "log");
        info.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_folder, "rabbitmq.pid");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string LogTail()
    {
        var log = Path.Combine(_folder, "log", NodeName + ".log");
        if (!File.Exists(log))
        {
            return "(no broker log)";
        }
        var lines = File.ReadAllLines(log);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A straggler still writing; the folder is under /tmp.
        }
    }
}

/// <summary>One message taken from a queue: where it came from, its AMQP properties and its body.</summary>
internal sealed record RabbitMqReceived(string Exchange, string RoutingKey, IReadOnlyBasicProperties Properties, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
