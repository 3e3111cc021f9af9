using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Audit.Log;
using Sinew.Engine.Telemetry;

namespace Sinew.Audit.Syslog;

/// <summary>
/// Streams the audit log to the syslog server from a cursor kept in <c>audit.db</c>: each batch is read after the records
/// are committed to the chain, written and flushed to the TLS connection, and only then is the cursor moved, so an outage
/// of the server loses nothing: Sinew reconnects with a growing delay and sends the backlog in order. Writers of the audit
/// log never wait for the stream; the gauge <c>sinew.audit.syslog.lag</c> and <c>GET /api/v1/audit/stream</c> show how far behind it is.
/// </summary>
public sealed class SyslogStream : BackgroundService
{
    /// <summary>Records per write; the cursor is persisted after each.</summary>
    private const int BatchSize = 200;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>How often the log is read without a signal, for records other processes (the CLI) append.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private readonly SyslogSettings _settings;
    private readonly SqliteAuditLog _log;
    private readonly ILogger<SyslogStream> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly string _hostName = HostName();
    private readonly string _cursorName;
    private long _cursor = -1;
    private long _head;
    private volatile bool _connected;
    private volatile string? _lastError;

    public SyslogStream(SyslogSettings settings, SqliteAuditLog log, ILogger<SyslogStream> logger, IMeterFactory? meters = null)
    {
        _settings = settings;
        _log = log;
        _logger = logger;
        _cursorName = "syslog/" + settings.Address;
        // The engine's meter, which the host already exports, so the gauge needs no change to the host.
        var meter = meters?.Create(EngineMetrics.MeterName) ?? new Meter(EngineMetrics.MeterName);
        meter.CreateObservableGauge("sinew.audit.syslog.lag", () => Lag, "{record}", "Audit records not yet streamed to the syslog server");
        log.Appended += OnAppended;
    }

    /// <summary>Records committed to the audit log but not yet handed to the syslog server.</summary>
    public long Lag => _cursor < 0 ? 0 : Math.Max(0, Interlocked.Read(ref _head) - Interlocked.Read(ref _cursor));

    /// <summary>The stream's state for the auditor's status endpoint (never record content).</summary>
    public SyslogStreamStatus Status => new(_settings.Address, _connected, Math.Max(0, Interlocked.Read(ref _cursor)), Interlocked.Read(ref _head), Lag, _lastError);

    private void RaiseHead(long sequence)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _head)) < sequence && Interlocked.CompareExchange(ref _head, sequence, seen) != seen)
        {
            // Another record raced this one; read again.
        }
    }

    private void OnAppended(object? sender, long sequence)
    {
        RaiseHead(sequence);
        try
        {
            _wake.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or the stream has stopped.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the host is ready whether or not the server answers.
        await Task.Yield();
        var retry = FirstRetry;
        SyslogConnection? connection = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (Interlocked.Read(ref _cursor) < 0)
                    {
                        await LoadCursorAsync(stoppingToken);
                    }
                    if (connection is { IsOpen: false })
                    {
                        // Through the back-off below, so a server that accepts and drops at once is not hammered.
                        throw new IOException("the server closed the connection");
                    }
                    if (connection is null)
                    {
                        connection = await SyslogConnection.OpenAsync(_settings, stoppingToken);
                        _connected = true;
                        _logger.LogInformation("Audit stream connected to {Address} over {Protocol}; sending from record {Next} ({Lag} record(s) behind)",
                            _settings.Address, connection.Protocol, Interlocked.Read(ref _cursor) + 1, Lag);
                    }
                    var batch = await _log.ReadAsync(Interlocked.Read(ref _cursor), null, BatchSize, stoppingToken);
                    if (batch.Count == 0)
                    {
                        RaiseHead(await _log.HeadSequenceAsync(stoppingToken));
                        await _wake.WaitAsync(Poll, stoppingToken);
                        continue;
                    }
                    RaiseHead(batch[^1].Sequence);
                    await connection.WriteAsync(Frames(batch), stoppingToken);
                    await _log.WriteCursorAsync(_cursorName, batch[^1].Sequence, stoppingToken);
                    Interlocked.Exchange(ref _cursor, batch[^1].Sequence);
                    retry = FirstRetry;
                    _lastError = null;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever fails here (the network, the TLS material, a busy audit.db), the stream waits and tries
                    // again from its cursor; it never stops the host.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                    _connected = false;
                    Report(ex, retry);
                    await Task.Delay(retry, stoppingToken);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cursor is already persisted up to the last flushed batch.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            _connected = false;
        }
    }

    private async Task LoadCursorAsync(CancellationToken cancellationToken)
    {
        var head = await _log.HeadSequenceAsync(cancellationToken);
        var cursor = await _log.ReadCursorAsync(_cursorName, cancellationToken);
        if (cursor > head)
        {
            // The cursor belongs to another audit.db (the file was replaced): this one is sent from its first record.
            _logger.LogWarning("Audit stream to {Address}: the log ends at record {Head} but the stream's cursor is at {Cursor}; sending this log from record 1", _settings.Address, head, cursor);
            cursor = 0;
        }
        RaiseHead(head);
        Interlocked.Exchange(ref _cursor, cursor);
    }

    private void Report(Exception ex, TimeSpan retry)
    {
        var reason = ex switch
        {
            SyslogRefusedException => $"refused the server's certificate: {ex.Message}",
            SocketException socket => $"cannot connect: {socket.SocketErrorCode}",
            _ => ex.Message,
        };
        var repeated = reason == _lastError;
        _lastError = reason;
        if (ex is SyslogRefusedException)
        {
            // Never falls back to plain TCP: records wait until the server presents a certificate the CA vouches for.
            _logger.LogError("Audit stream to {Address} {Reason}; nothing is sent, retrying in {Retry} s ({Lag} record(s) behind)", _settings.Address, reason, retry.TotalSeconds, Lag);
        }
        else if (!repeated)
        {
            _logger.LogWarning("Audit stream to {Address} is down: {Reason}; retrying in {Retry} s ({Lag} record(s) behind, none lost)", _settings.Address, reason, retry.TotalSeconds, Lag);
        }
        else
        {
            _logger.LogDebug("Audit stream to {Address} still down: {Reason}; retrying in {Retry} s", _settings.Address, reason, retry.TotalSeconds);
        }
    }

    private byte[] Frames(IReadOnlyList<AuditEntry> batch)
    {
        var frames = new List<byte>(batch.Count * 400);
        foreach (var entry in batch)
        {
            frames.AddRange(SyslogMessage.Frame(entry, _settings.Facility, _hostName, _settings.AppName, Environment.ProcessId));
        }
        return [.. frames];
    }

    private static string HostName()
    {
        try
        {
            return Dns.GetHostName();
        }
        catch (SocketException)
        {
            return Environment.MachineName;
        }
    }

    public override void Dispose()
    {
        _log.Appended -= OnAppended;
        _wake.Dispose();
        base.Dispose();
    }
}
