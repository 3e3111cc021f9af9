using Microsoft.Extensions.Logging;

namespace Sinew.Mapping.Crosswalks;

/// <summary>
/// A lookup table (clinical code → ERP product, department → storage location and cost center), loaded from a CSV file
/// that users edit, re-read when the file changes, and optionally merged with rows pulled from a system on a schedule.
/// A key that is not there is an error with the table's own wording, never a silent default.
/// </summary>
public sealed class Crosswalk
{
    private readonly string _file;
    private readonly string _keyColumn;
    private readonly string _missing;
    private readonly ICrosswalkSource? _source;
    private readonly TimeSpan _every;
    private readonly Lock _gate = new();
    private Dictionary<string, IReadOnlyDictionary<string, string>> _fileRows = new(StringComparer.Ordinal);
    private Dictionary<string, IReadOnlyDictionary<string, string>> _pulledRows = new(StringComparer.Ordinal);
    private DateTime _fileStamp = DateTime.MinValue;
    private long _fileCheckedAt;
    private string? _pullError;
    private Task? _refresher;

    public Crosswalk(string name, string file, string keyColumn, string? missing, ICrosswalkSource? source, TimeSpan every)
    {
        Name = name;
        _file = file;
        _keyColumn = keyColumn;
        _missing = missing ?? $"no {name} row for '{{key}}'";
        _source = source;
        _every = every;
        ReloadFile();
    }

    public string Name { get; }

    public IReadOnlyCollection<string> Columns { get; private set; } = [];

    /// <summary>The row for <paramref name="key"/>, or throws <see cref="Inputs.MappingException"/> with the table's message.</summary>
    public string Get(string key, string column)
    {
        var row = Find(key) ?? throw new Inputs.MappingException(Missing(key));
        if (!row.TryGetValue(column, out var value) || value.Length == 0)
        {
            throw new Inputs.MappingException($"{Missing(key)} (the row has no '{column}')");
        }
        return value;
    }

    public IReadOnlyDictionary<string, string>? Find(string key)
    {
        ReloadIfChanged();
        lock (_gate)
        {
            return _fileRows.GetValueOrDefault(key) ?? _pulledRows.GetValueOrDefault(key);
        }
    }

    /// <summary>Starts pulling rows from the configured system now and every period after (no-op without a source).</summary>
    public void StartRefreshing(ILogger logger, CancellationToken stopping)
    {
        lock (_gate)
        {
            if (_source is null || _refresher is not null)
            {
                return;
            }
            _refresher = Task.Run(() => RefreshLoopAsync(logger, stopping), CancellationToken.None);
        }
    }

    /// <summary>Pulls rows from the configured system once; returns how many rows it holds.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return 0;
        }
        var rows = await _source.LoadAsync(cancellationToken);
        var table = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.TryGetValue(_keyColumn, out var key) && key.Length > 0)
            {
                table[key] = row;
            }
        }
        lock (_gate)
        {
            _pulledRows = table;
            _pullError = null;
        }
        return table.Count;
    }

    private async Task RefreshLoopAsync(ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var count = await RefreshAsync(stopping);
                logger.LogInformation("Crosswalk {Crosswalk} refreshed: {Rows} rows", Name, count);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _pullError = ex.Message;
                }
                logger.LogWarning("Crosswalk {Crosswalk} could not be refreshed: {Error}", Name, ex.Message);
            }
            await Task.Delay(_every, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private string Missing(string key)
    {
        var text = _missing.Replace("{key}", key, StringComparison.Ordinal);
        lock (_gate)
        {
            return _pullError is null ? text : $"{text} (its refresh failed: {_pullError})";
        }
    }

    private void ReloadIfChanged()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _fileCheckedAt) < 1000)
        {
            return;
        }
        Interlocked.Exchange(ref _fileCheckedAt, now);
        if (File.GetLastWriteTimeUtc(_file) != _fileStamp)
        {
            try
            {
                ReloadFile();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                // Half-written or briefly missing while being edited: keep the rows we have and look again next second.
            }
        }
    }

    private void ReloadFile()
    {
        if (!File.Exists(_file))
        {
            throw new FileNotFoundException($"crosswalk '{Name}': the file {_file} does not exist", _file);
        }
        var stamp = File.GetLastWriteTimeUtc(_file);
        var rows = Csv.ReadRows(File.ReadAllText(_file), out var header);
        if (!header.Contains(_keyColumn))
        {
            throw new InvalidDataException($"crosswalk '{Name}': {_file} has no column '{_keyColumn}' (columns: {string.Join(", ", header)})");
        }
        var table = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row[_keyColumn].Length > 0)
            {
                table[row[_keyColumn]] = row;
            }
        }
        lock (_gate)
        {
            _fileRows = table;
            _fileStamp = stamp;
            Columns = header.ToList();
        }
    }
}
