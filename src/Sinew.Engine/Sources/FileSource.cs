using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Engine.Sources;

/// <summary>
/// Polls a folder. A file is taken once its size and time have stayed the same for the settle time (so a file still
/// being written is left alone), committed to the journal, and only then moved to <c>done/</c>. Files that can't be
/// taken go to <c>error/</c> with a reason file beside them; nothing is ever deleted.
/// </summary>
public sealed class FileSource : ISource
{
    private readonly FileSourceOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (long Length, DateTime Written)> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public FileSource(FileSourceOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    public string Type => "file";

    public static ISource? Create(ConfigSection settings, ConnectorContext context)
    {
        var path = settings.GetString("path", required: true);
        var options = new FileSourceOptions
        {
            Channel = context.Channel,
            Folder = path is null ? "" : context.ResolveDataPath(path),
            Pattern = settings.GetString("pattern", "*"),
            PollInterval = settings.GetDuration("pollInterval", TimeSpan.FromSeconds(1)),
            Settle = settings.GetDuration("settle", TimeSpan.FromSeconds(1)),
            MaxBytes = settings.GetSize("maxBytes", 64L * 1024 * 1024),
            ContentType = settings.GetString("contentType"),
        };
        if (options.Pattern.Contains("..", StringComparison.Ordinal) || options.Pattern.Contains('/', StringComparison.Ordinal))
        {
            settings.Error("pattern", "must be a file name pattern such as *.hl7, without folders");
            return null;
        }
        return path is null ? null : new FileSource(options, context.LoggerFactory.CreateLogger<FileSource>());
    }

    public string Describe() => $"file {_options.Folder} ({_options.Pattern})";

    public Task StartAsync(IIntake intake, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.Folder);
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => PollLoopAsync(intake, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task PollLoopAsync(IIntake intake, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(intake, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "File source of channel {Channel} failed to poll {Folder}; will try again", _options.Channel, _options.Folder);
            }
            try
            {
                await Task.Delay(_options.PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the folder; public so tests can drive it without timers.</summary>
    public async Task PollOnceAsync(IIntake intake, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(_options.Folder, _options.Pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (IsTemporaryName(name))
            {
                continue;
            }
            present.Add(path);
            (long Length, DateTime LastWriteTimeUtc) stamp;
            try
            {
                var info = new FileInfo(path);
                stamp = (info.Length, info.LastWriteTimeUtc);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (_warned.Add(path))
                {
                    _logger.LogWarning("File source of channel {Channel} cannot read {File} ({Error}); it stays in place and is retried", _options.Channel, name, ex.GetType().Name);
                }
                continue;
            }
            var stable = _seen.TryGetValue(path, out var previous) && previous == stamp && now - stamp.LastWriteTimeUtc >= _options.Settle;
            _seen[path] = stamp;
            if (stable)
            {
                await TakeAsync(intake, path, stamp.Length, cancellationToken);
            }
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
            _warned.Remove(gone);
        }
    }

    private static bool IsTemporaryName(string name) =>
        name.StartsWith('.') || name.StartsWith('~')
        || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".partial", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".filepart", StringComparison.OrdinalIgnoreCase);

    private async Task TakeAsync(IIntake intake, string path, long length, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        if (length > _options.MaxBytes)
        {
            MoveAside(path, "error", $"the file is {length} bytes, over the limit of {_options.MaxBytes} (source.maxBytes)");
            return;
        }
        if (length == 0)
        {
            MoveAside(path, "error", "the file is empty");
            return;
        }
        byte[] bytes;
        try
        {
            // FileShare.Read: a writer still holding the file open for writing makes this fail, and the file waits.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_warned.Add(path))
            {
                _logger.LogWarning("File source of channel {Channel} cannot read {File} yet ({Error}); it stays in place and is retried", _options.Channel, name, ex.GetType().Name);
            }
            return;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var message = new InboundMessage(_options.Channel, "file " + name, _options.ContentType ?? ContentTypeFor(name), bytes)
        {
            DedupeKey = $"file:{name}:{hash}",
            ControlId = name,
        };
        AppendResult result;
        try
        {
            result = await intake.SubmitAsync(message, cancellationToken);
        }
        catch (JournalUnavailableException ex)
        {
            _logger.LogError("File source of channel {Channel} could not commit {File}: {Error}; it stays in place", _options.Channel, name, ex.Message);
            return;
        }
        MoveAside(path, "done", null, result.MessageId);
    }

    private void MoveAside(string path, string folderName, string? reason, long? messageId = null)
    {
        var name = Path.GetFileName(path);
        var folder = Path.Combine(_options.Folder, folderName);
        try
        {
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, messageId is { } id ? $"{id}-{name}" : $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{name}");
            File.Move(path, target, overwrite: false);
            if (reason is not null)
            {
                File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine);
                _logger.LogWarning("File source of channel {Channel} moved {File} to {Folder}: {Reason}", _options.Channel, name, folderName, reason);
            }
            _seen.Remove(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_warned.Add(path + "#move"))
            {
                _logger.LogError("File source of channel {Channel} cannot move {File} to {Folder}: {Error}", _options.Channel, name, folderName, ex.Message);
            }
        }
    }

    private static string ContentTypeFor(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".hl7" or ".er7" => "application/hl7-v2",
        ".json" => "application/json",
        ".xml" => "application/xml",
        ".x12" or ".edi" => "application/edi-x12",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop?.Dispose();
        return ValueTask.CompletedTask;
    }
}
