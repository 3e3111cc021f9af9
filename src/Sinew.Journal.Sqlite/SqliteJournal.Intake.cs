using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;
using Sinew.Journal.Sqlite.Intake;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// The intake path: with <see cref="SqliteJournalOptions.Intake"/>, a received message is acknowledged once its record is
/// durable in the intake log, and a mover copies durable records into the inbox table in large transactions.
/// </summary>
/// <remarks>
/// <para>
/// Every other read and write of the journal first waits until everything already acknowledged has been moved, so callers see
/// the same journal as without the log: a message id returned by <see cref="AppendAsync"/> can be read, reprocessed or
/// searched at once. Message ids are handed out by the log in order and kept by the move; the highest moved id is stored
/// in the same transaction as the rows (<c>meta.intake_moved</c>), so after a crash exactly the records above it are moved again.
/// </para>
/// <para>
/// Dedupe sees both worlds: a key is looked up among the messages still on their way in, then in the inbox; a repeat that
/// arrives while the first is still being flushed waits for it and gets its answer.
/// </para>
/// </remarks>
public sealed partial class SqliteJournal
{
    private const string MovedMetaKey = "intake_moved";
    private static readonly TimeSpan FlushMovesEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MoveStallLimit = TimeSpan.FromSeconds(5);

    private IntakeLog? _intake;
    private readonly object _intakeSync = new();
    private readonly Dictionary<(string Channel, string Key), PendingMessage> _pendingKeys = [];
    private readonly List<PendingMessage> _unmoved = [];
    private List<PendingMessage>? _moving;
    private readonly List<(long Target, TaskCompletionSource Done)> _moveWaiters = [];
    private readonly SemaphoreSlim _moveWake = new(0);
    private readonly ConcurrentBag<DedupeReader> _dedupeReaders = [];
    private readonly CancellationTokenSource _moverStop = new();
    private TaskCompletionSource _moveNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _wakeSignaled;
    private long _highestDurable;
    private long _movedId;
    private long _releasedId;
    private Task _mover = Task.CompletedTask;
    private TimeSpan _moveDelay;
    private System.Diagnostics.Metrics.Meter? _intakeMeter;
    private int _maxUnmoved;
    private int _moveBatch;
    private DedupeKeyFilter? _dedupeFilter;
    private Task _dedupeFilterBuild = Task.CompletedTask;
    private long _dedupeReads;

    /// <summary>Dedupe keys looked up in the inbox table (the key filter said "maybe").</summary>
    internal long DedupeReadsForTests => Interlocked.Read(ref _dedupeReads);

    /// <summary>The intake's filter of the inbox's dedupe keys; null without an intake log.</summary>
    internal DedupeKeyFilter? DedupeFilterForTests => _dedupeFilter;

    /// <summary>Messages acknowledged from the intake log and not yet in the inbox table.</summary>
    public long IntakeBacklog
    {
        get
        {
            lock (_intakeSync)
            {
                return _highestDurable - _movedId;
            }
        }
    }

    /// <summary>Why the last move into the inbox failed; null while moves succeed.</summary>
    public Exception? IntakeMoveFailure { get; private set; }

    private static string IntakeDirectory(string path) => System.IO.Path.GetFullPath(path) + "-intake";

    /// <summary>
    /// Moves what a previous run left in the intake log into the inbox, and with <see cref="SqliteJournalOptions.Intake"/>
    /// keeps the log open for appends. Without it, a log that another process holds is left to that process.
    /// </summary>
    private void OpenIntake(SqliteJournalOptions options)
    {
        var directory = IntakeDirectory(options.Path);
        if (!options.Intake && !Directory.Exists(directory))
        {
            return;
        }
        var log = IntakeLog.TryOpen(directory, options.IntakeSegmentSize, OnDurable, out var records);
        if (log is null)
        {
            if (options.Intake)
            {
                throw new JournalUnavailableException(
                    $"the journal {System.IO.Path.GetFullPath(options.Path)} is in use by another Sinew process (its intake log {directory} is locked); stop that process or give this one its own data folder",
                    new IOException("intake log locked"));
            }
            return;
        }
        try
        {
            var lastId = _writer.ExecuteAsync(session => RecoverIntake(session, records), CancellationToken.None).GetAwaiter().GetResult();
            if (!options.Intake)
            {
                log.Release(lastId);
                log.Dispose();
                return;
            }
            _moveDelay = options.IntakeMoveDelay;
            _maxUnmoved = options.IntakeMaxBacklog;
            _moveBatch = options.MaxBatch * 8;
            _movedId = lastId;
            _releasedId = lastId;
            _highestDurable = lastId;
            log.Start(lastId);
            log.Release(lastId);
            _intake = log;
            _dedupeFilter = new DedupeKeyFilter(options.DedupeFilterMinKeys);
            StartDedupeFilterBuild();
            _intakeMeter = new System.Diagnostics.Metrics.Meter("Sinew.Journal");
            _intakeMeter.CreateObservableGauge("sinew.journal.intake.backlog", () => IntakeBacklog, description: "Acknowledged messages not yet moved from the intake log into the inbox table");
            // Its own thread: the mover blocks on SQLite (and now and then on an fsync), which must not take a pool thread from the sockets.
            _mover = Task.Factory.StartNew(MoveLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Inserts the records above the moved mark; returns the id the log continues after.</summary>
    private long RecoverIntake(WriteSession session, List<IntakeRecord> records)
    {
        var moved = session.Command($"SELECT value FROM meta WHERE key = '{MovedMetaKey}'").ExecuteScalar() is string text && long.TryParse(text, out var m) ? m : 0;
        var lastId = Math.Max(moved, session.Command("SELECT COALESCE(MAX(id), 0) FROM inbox").ExecuteScalar() is long max ? max : 0);
        foreach (var record in records)
        {
            if (record.Id <= moved)
            {
                continue;
            }
            var exists = session.Command("SELECT 1 FROM inbox WHERE id = $id");
            exists.Parameters.AddWithValue("$id", record.Id);
            if (exists.ExecuteScalar() is null)
            {
                Append(session, InboxRow.Decode(record.Payload), record.Id);
            }
            lastId = Math.Max(lastId, record.Id);
        }
        SetMoved(session, lastId);
        return lastId;
    }

    private static void SetMoved(WriteSession session, long id)
    {
        var mark = session.Command($"INSERT INTO meta (key, value) VALUES ('{MovedMetaKey}', $v) ON CONFLICT (key) DO UPDATE SET value = $v");
        mark.Parameters.AddWithValue("$v", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        mark.ExecuteNonQuery();
    }

    private async ValueTask<AppendResult> AppendThroughIntakeAsync(IntakeLog log, InboxRow row, ReadOnlyMemory<byte> clearResponse, CancellationToken cancellationToken)
    {
        if (IntakeMoveFailure is { } failing)
        {
            // The inbox table cannot take rows (a full disk, an I/O error): acknowledge nothing more until the mover gets through.
            throw new JournalUnavailableException("The journal cannot take messages now: moving them into the inbox fails: " + failing.Message, failing);
        }
        if (IntakeBacklog > _maxUnmoved)
        {
            // The mover is behind (a long checkpoint, a slow disk): intake waits for it instead of growing the log without bound.
            await WhenMovedAsync().WaitAsync(cancellationToken);
        }
        var message = new PendingMessage(row.Encode(), row, clearResponse);
        while (true)
        {
            if (row.DedupeKey is { } dedupeKey)
            {
                var key = (row.Channel, dedupeKey);
                PendingMessage? earlier;
                lock (_intakeSync)
                {
                    if (!_pendingKeys.TryGetValue(key, out earlier) || IsExpired(earlier.Row.ReceivedAtMs, row))
                    {
                        earlier = null;
                        _pendingKeys[key] = message;
                        message.MapKey = key;
                    }
                }
                if (earlier is not null)
                {
                    AppendResult first;
                    try
                    {
                        first = await earlier.Outcome.Task.WaitAsync(cancellationToken);
                    }
                    catch (JournalUnavailableException)
                    {
                        continue; // The first one was not taken; this one tries on its own.
                    }
                    return new AppendResult(first.MessageId, true, first.IsDuplicate ? first.Response : earlier.ClearResponse);
                }
            }
            try
            {
                // Registered under its key: whatever happens now, repeats waiting on it must get an outcome.
                if (message.MapKey is not null && _dedupeFilter!.MightContain(row.Channel, row.DedupeKey!) && LookUpDedupe(row) is { } existing)
                {
                    Forget(message);
                    message.Outcome.TrySetResult(existing);
                    return existing;
                }
                await log.AppendAsync(message);
            }
            catch (Exception ex)
            {
                Forget(message);
                message.Outcome.TrySetException(ex is JournalUnavailableException ? ex : new JournalUnavailableException("The journal could not take the message: " + ex.Message, ex));
                throw;
            }
            var result = new AppendResult(message.Id, false, default);
            message.Outcome.TrySetResult(result);
            return result;
        }
    }

    private static bool IsExpired(long earlierReceivedAtMs, InboxRow row) =>
        row.DedupeWindowMs is { } window && earlierReceivedAtMs < row.ReceivedAtMs - window;

    private void Forget(PendingMessage message)
    {
        lock (_intakeSync)
        {
            ForgetLocked(message);
        }
    }

    /// <summary>Drops the message's dedupe key from those still on their way in, unless a newer message took it over; under <c>_intakeSync</c>.</summary>
    private void ForgetLocked(PendingMessage message)
    {
        if (message.MapKey is { } key && _pendingKeys.TryGetValue(key, out var current) && ReferenceEquals(current, message))
        {
            _pendingKeys.Remove(key);
        }
    }

    /// <summary>The earlier message in the inbox with the row's dedupe key, when it is still inside the window.</summary>
    private AppendResult? LookUpDedupe(InboxRow row)
    {
        Interlocked.Increment(ref _dedupeReads);
        if (!_dedupeReaders.TryTake(out var lookup))
        {
            lookup = new DedupeReader(_readConnectionString);
        }
        try
        {
            lookup.Channel.Value = row.Channel;
            lookup.Key.Value = row.DedupeKey;
            using var reader = lookup.Command.ExecuteReader();
            return reader.Read() ? DuplicateOf(reader, row) : null;
        }
        finally
        {
            _dedupeReaders.Add(lookup);
        }
    }

    /// <summary>An acknowledged message that is not in the inbox table yet, as the table will hold it.</summary>
    private StoredMessage? FindUnmoved(long id, bool withBody)
    {
        PendingMessage? found;
        lock (_intakeSync)
        {
            found = _unmoved.Find(m => m.Id == id) ?? _moving?.Find(m => m.Id == id);
        }
        return found is null ? null : ToStored(found, withBody);
    }

    /// <summary>
    /// The acknowledged messages not in the inbox table yet that match <paramref name="query"/>, newest first, at most
    /// <paramref name="limit"/>: while moves fail (a full disk) these are exactly the messages an operator looks for.
    /// </summary>
    private List<StoredMessage> SearchUnmoved(MessageQuery query, int limit)
    {
        var matches = new List<PendingMessage>();
        lock (_intakeSync)
        {
            if (_unmoved.Count == 0 && _moving is null)
            {
                return [];
            }
            foreach (var message in _moving is null ? _unmoved : _moving.Concat(_unmoved))
            {
                if (Matches(message, query))
                {
                    matches.Add(message);
                }
            }
        }
        matches.Sort((a, b) => b.Id.CompareTo(a.Id));
        return matches.Take(limit).Select(m => ToStored(m, withBody: false)).ToList();
    }

    private static bool Matches(PendingMessage message, MessageQuery query)
    {
        var row = message.Row;
        return (query.Channel is null || row.Channel == query.Channel)
            && (query.Status is not { } status || row.Status == (int)status)
            && (query.From is not { } from || row.ReceivedAtMs >= ToUnixMs(from))
            && (query.To is not { } to || row.ReceivedAtMs < ToUnixMs(to))
            && (query.Cursor is not { } cursor || message.Id < cursor)
            && (string.IsNullOrEmpty(query.ControlId) || MatchesControlId(row.ControlId, query.ControlId));
    }

    /// <summary>The table's rules: a prefix compared byte for byte, or with <c>*</c> text anywhere, ASCII letters in any case (SQLite's LIKE).</summary>
    private static bool MatchesControlId(string? controlId, string wanted) =>
        controlId is not null && (wanted.StartsWith('*')
            ? controlId.Contains(wanted[1..], StringComparison.OrdinalIgnoreCase)
            : controlId.StartsWith(wanted, StringComparison.Ordinal));

    private StoredMessage ToStored(PendingMessage message, bool withBody)
    {
        var row = message.Row;
        return new StoredMessage
        {
            Id = message.Id,
            Channel = row.Channel,
            Source = row.Source,
            ContentType = row.ContentType,
            ReceivedAt = FromUnixMs(row.ReceivedAtMs),
            Status = (MessageStatus)row.Status,
            ControlId = row.ControlId,
            DedupeKey = row.DedupeKey,
            PartitionKey = row.PartitionKey,
            Error = row.Error,
            BodyLength = (int)row.BodyLength,
            TraceParent = row.TraceParent,
            Body = withBody ? Unseal(row.Body, row.KeyId, row.WrappedKey, "inbox.body") : ReadOnlyMemory<byte>.Empty,
        };
    }

    /// <summary>Called by the log, in id order, with each group that became durable.</summary>
    private void OnDurable(List<IntakeEntry> batch)
    {
        lock (_intakeSync)
        {
            foreach (var entry in batch)
            {
                _unmoved.Add((PendingMessage)entry);
            }
            _highestDurable = batch[^1].Id;
        }
        WakeMover();
    }

    private void WakeMover()
    {
        if (Interlocked.Exchange(ref _wakeSignaled, 1) == 0)
        {
            _moveWake.Release();
        }
    }

    /// <summary>Completes when every message acknowledged so far is in the inbox table; asks the mover not to wait for more.</summary>
    private Task WhenMovedAsync()
    {
        if (_intake is null)
        {
            return Task.CompletedTask;
        }
        TaskCompletionSource done;
        lock (_intakeSync)
        {
            if (_highestDurable <= _movedId)
            {
                return Task.CompletedTask;
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _moveWaiters.Add((_highestDurable, done));
            _moveNow.TrySetResult();
        }
        WakeMover();
        return done.Task;
    }

    /// <summary>
    /// Waits until everything acknowledged is in the inbox table, but not forever: when moves fail (a full disk), reads and
    /// writes go ahead after a while on what is there, so the dashboard and the API stay usable.
    /// </summary>
    private async Task WhenMovedOrStalledAsync(CancellationToken cancellationToken)
    {
        var moved = WhenMovedAsync();
        if (moved.IsCompleted || IntakeMoveFailure is not null)
        {
            return;
        }
        try
        {
            await moved.WaitAsync(MoveStallLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The mover is stuck (IntakeMoveFailure says why); the messages stay safe in the log.
        }
    }

    private void MoveLoop()
    {
        var stop = _moverStop.Token;
        var failures = 0;
        var lastFlushed = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                _moveWake.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Volatile.Write(ref _wakeSignaled, 0);
            Task moveNow;
            bool idle;
            lock (_intakeSync)
            {
                moveNow = _moveNow.Task;
                idle = _unmoved.Count == 0;
            }
            // Moves are committed without a flush of their own (the log holds the messages durably until then); at most
            // FlushMovesEvery later one is flushed, and only then may the log reuse the segments that flushed move covers.
            var flushDue = Stopwatch.GetElapsedTime(lastFlushed) >= FlushMovesEvery;
            if (idle)
            {
                if (_movedId > _releasedId)
                {
                    if (flushDue)
                    {
                        TryFlushMoves();
                        lastFlushed = Stopwatch.GetTimestamp();
                    }
                    else
                    {
                        WakeMoverIn(FlushMovesEvery - Stopwatch.GetElapsedTime(lastFlushed), stop);
                    }
                }
                continue;
            }
            if (!moveNow.IsCompleted && _moveDelay > TimeSpan.Zero)
            {
                // Let a few more messages arrive so that one move carries many.
                try
                {
                    moveNow.Wait(_moveDelay, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            List<PendingMessage> batch;
            lock (_intakeSync)
            {
                if (_moveNow.Task.IsCompleted)
                {
                    _moveNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                var count = Math.Min(_unmoved.Count, _moveBatch);
                batch = _unmoved.GetRange(0, count);
                _unmoved.RemoveRange(0, count);
                _moving = batch;
            }
            try
            {
                _writer.ExecuteAsync(session => Move(session, batch), CancellationToken.None, durable: flushDue).GetAwaiter().GetResult();
                IntakeMoveFailure = null;
                failures = 0;
            }
            catch (Exception ex)
            {
                // Nothing is lost: the records stay durable in the log and the move is tried again.
                IntakeMoveFailure = ex;
                lock (_intakeSync)
                {
                    _unmoved.InsertRange(0, batch);
                    _moving = null;
                }
                failures++;
                WakeMoverIn(TimeSpan.FromMilliseconds(Math.Min(1000, 10 << Math.Min(failures, 7))), stop);
                continue;
            }
            var moved = batch[^1].Id;
            var filterFull = false;
            lock (_intakeSync)
            {
                _movedId = moved;
                _moving = null;
                foreach (var message in batch)
                {
                    // Committed: the filter takes the key before the map of keys on their way in lets it go.
                    if (message.MapKey is { } key)
                    {
                        filterFull |= _dedupeFilter!.Add(key.Channel, key.Key);
                    }
                    ForgetLocked(message);
                }
                for (var i = _moveWaiters.Count - 1; i >= 0; i--)
                {
                    if (_moveWaiters[i].Target <= moved)
                    {
                        _moveWaiters[i].Done.TrySetResult();
                        _moveWaiters.RemoveAt(i);
                    }
                }
            }
            if (filterFull)
            {
                StartDedupeFilterBuild();
            }
            if (flushDue)
            {
                lastFlushed = Stopwatch.GetTimestamp();
                Release(moved);
            }
            // Around again: for the next messages, or for the flushed move once it is due.
            WakeMover();
        }
    }

    private void WakeMoverIn(TimeSpan delay, CancellationToken stop) =>
        _ = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), stop).ContinueWith(_ => WakeMover(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>A flushed commit of the moved mark: makes every move before it durable, then lets the log reuse what they cover.</summary>
    private void TryFlushMoves()
    {
        var moved = _movedId;
        try
        {
            _writer.ExecuteAsync(session =>
            {
                SetMoved(session, moved);
                return 0;
            }, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            IntakeMoveFailure = ex;
            return; // the segments stay; the next flushed move tries again
        }
        Release(moved);
    }

    private void Release(long moved)
    {
        _releasedId = moved;
        try
        {
            _intake!.Release(moved);
        }
        catch (IOException)
        {
            // A segment that cannot be deleted or reused now is tried again after the next flushed move.
        }
    }

    /// <summary>For tests: while set, every move into the inbox fails with it (as a full disk would).</summary>
    internal IOException? InjectedMoveFailureForTests { get; set; }

    private int Move(WriteSession session, List<PendingMessage> batch)
    {
        if (InjectedMoveFailureForTests is { } injected)
        {
            throw injected;
        }
        foreach (var message in batch)
        {
            Append(session, message.Row, message.Id);
        }
        SetMoved(session, batch[^1].Id);
        return batch.Count;
    }

    /// <summary>Stops intake: flushes what is queued, moves everything acknowledged (waiting at most a while), closes the log.</summary>
    private async Task CloseIntakeAsync()
    {
        if (_intake is not { } log)
        {
            return;
        }
        await log.CloseAsync();
        try
        {
            await WhenMovedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The records stay in the log; the next start moves them.
        }
        _moverStop.Cancel();
        await _mover;
        await _dedupeFilterBuild;
        if (_movedId > _releasedId)
        {
            TryFlushMoves();
        }
        log.Dispose();
        _intakeMeter?.Dispose();
        while (_dedupeReaders.TryTake(out var lookup))
        {
            lookup.Dispose();
        }
    }

    /// <summary>
    /// Loads the inbox's dedupe keys into the filter (again, bigger, when it is full), on a thread of its own: a table of
    /// millions of rows takes seconds, and until it is done every key is looked up in the table as before.
    /// </summary>
    private void StartDedupeFilterBuild()
    {
        var filter = _dedupeFilter!;
        var stop = _moverStop.Token;
        _dedupeFilterBuild = Task.Factory.StartNew(() =>
        {
            try
            {
                using var connection = new SqliteConnection(_readConnectionString);
                connection.Open();
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM inbox WHERE dedupe_key IS NOT NULL";
                var expected = (long)count.ExecuteScalar()!;
                filter.Build(expected, () => ReadDedupeKeys(connection), stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SqliteException or IOException)
            {
                // Stopping, or the table cannot be read now: the filter keeps answering "maybe", which is always right.
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static IEnumerable<(string Channel, string Key)> ReadDedupeKeys(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        // The partial unique index ix_inbox_dedupe holds both columns: a scan of the index, not of the table.
        command.CommandText = "SELECT channel, dedupe_key FROM inbox WHERE dedupe_key IS NOT NULL";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), reader.GetString(1));
        }
    }

    /// <summary>
    /// For tests, what a kill leaves: the mover stops where it is and the log is closed without moving anything more, so
    /// acknowledged messages may be only in the log's files.
    /// </summary>
    internal void AbandonIntakeForTests()
    {
        _moverStop.Cancel();
        _mover.GetAwaiter().GetResult();
        _intake?.Dispose();
        _intake = null;
    }

    /// <summary>A read connection with the dedupe lookup prepared once (compiling it per message was a tenth of intake's CPU).</summary>
    private sealed class DedupeReader : IDisposable
    {
        private readonly SqliteConnection _connection;

        public DedupeReader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            Command = _connection.CreateCommand();
            Command.CommandText = SelectByDedupeKey;
            Channel = Command.Parameters.Add("$channel", SqliteType.Text);
            Key = Command.Parameters.Add("$dedupe", SqliteType.Text);
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter Channel { get; }

        public SqliteParameter Key { get; }

        public void Dispose()
        {
            Command.Dispose();
            _connection.Dispose();
        }
    }

    private sealed class PendingMessage(byte[] payload, InboxRow row, ReadOnlyMemory<byte> clearResponse) : IntakeEntry(payload)
    {
        public InboxRow Row { get; } = row;

        public ReadOnlyMemory<byte> ClearResponse { get; } = clearResponse;

        public (string Channel, string Key)? MapKey { get; set; }

        public TaskCompletionSource<AppendResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
