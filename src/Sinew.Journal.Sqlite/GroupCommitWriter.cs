using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// The journal's single writer. Callers queue work; the writer takes everything waiting at that moment,
/// runs it in one transaction, commits once (one fsync), and only then releases every caller of the batch.
/// BEGIN and COMMIT are statements prepared once and kept, not a transaction object per batch (which compiles both
/// statements again every time).
/// </summary>
/// <remarks>
/// When writes come one at a time (the writer's last batches each held one write and nothing is queued or running), the caller runs
/// its own one-write transaction on its thread: no hand-off to the writer and back, which at one MLLP connection is
/// the part of receive→ACK that is not the fsync. As soon as writes overlap, they queue for the writer and share
/// commits again. Either way one connection, one transaction at a time, in arrival order.
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private static readonly Meter s_meter = new("Sinew.Journal");
    private static readonly Histogram<int> s_batchSize = s_meter.CreateHistogram<int>("sinew.journal.commit.batch_size", description: "Writes that shared one commit");
    private static readonly Histogram<double> s_commitTime = s_meter.CreateHistogram<double>("sinew.journal.commit.duration", "ms", "Time of one commit (the fsync)");

    private readonly Channel<WriteRequest> _queue;
    private readonly WriteSession _session;
    private readonly Task _loop;
    private readonly int _maxBatch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _runAlone;
    /// <summary>Batches of one write in a row the writer has seen; writes run on the caller's thread only after a run of them.</summary>
    private volatile int _singles = QuietAfter;
    private const int QuietAfter = 8;
    private bool _disposed;

    private readonly bool _flushesEveryCommit;

    public GroupCommitWriter(SqliteConnection connection, int maxBatch, int queueCapacity, bool runAloneWhenQuiet, bool flushesEveryCommit)
    {
        _runAlone = runAloneWhenQuiet;
        _flushesEveryCommit = flushesEveryCommit;
        _session = new WriteSession(connection);
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Runs <paramref name="work"/> inside the next group transaction; completes after its commit.</summary>
    /// <param name="work">What to run inside the transaction.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the queue.</param>
    /// <param name="durable">
    /// False for work whose data is already durable elsewhere (the intake log): when a whole batch is such work, its commit
    /// is written but not flushed (<c>synchronous=NORMAL</c>); the next flushed commit makes it durable with everything before it.
    /// </param>
    public async Task<T> ExecuteAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken, bool durable = true)
    {
        var request = new WriteRequest<T>(work) { Durable = durable };
        if (_runAlone && _singles >= QuietAfter && _queue.Reader.Count == 0 && TryRunAlone(request))
        {
            return await request.Completion.Task;
        }
        await _queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Completion.Task;
    }

    /// <summary>Runs the request on the caller's thread when the writer is idle and nothing waits before it.</summary>
    private bool TryRunAlone(WriteRequest request)
    {
        if (!_gate.Wait(0))
        {
            // Another write is running: writes overlap, so they go to the writer and share commits until it sees quiet again.
            _singles = 0;
            return false;
        }
        try
        {
            if (_disposed || _queue.Reader.Count > 0)
            {
                return false;
            }
            RunBatch([request]);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            await _gate.WaitAsync();
            try
            {
                batch.Clear();
                while (batch.Count < _maxBatch && reader.TryRead(out var request))
                {
                    batch.Add(request);
                }
                if (batch.Count > 0)
                {
                    _singles = batch.Count == 1 ? Math.Min(_singles + 1, QuietAfter) : 0;
                    RunBatch(batch);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void RunBatch(List<WriteRequest> batch)
    {
        var (failedAt, error) = TryRunTogether(batch);
        if (error is null)
        {
            foreach (var request in batch)
            {
                request.Complete();
            }
            return;
        }
        if (failedAt < 0 || batch.Count == 1)
        {
            // The storage itself failed (disk full, I/O error, read-only file): nothing of the batch is durable.
            var failure = failedAt < 0 || IsStorageFailure(error) ? new JournalUnavailableException("The journal could not commit: " + error.Message, error) : error;
            foreach (var request in batch)
            {
                request.Fail(failure);
            }
            return;
        }
        // One request failed on its own: run each alone so only that one fails. Rare, so the common path needs no savepoints.
        foreach (var request in batch)
        {
            RunBatch([request]);
        }
    }

    /// <summary>Runs the batch in one transaction; on failure returns the failing request's index (-1 for the commit) and rolls back.</summary>
    private (int FailedAt, Exception? Error) TryRunTogether(List<WriteRequest> batch)
    {
        var index = -1;
        var open = false;
        var lazy = _flushesEveryCommit && batch.TrueForAll(r => !r.Durable);
        if (lazy)
        {
            _session.Execute("PRAGMA synchronous=NORMAL");
        }
        try
        {
            _session.Execute("BEGIN IMMEDIATE");
            open = true;
            for (index = 0; index < batch.Count; index++)
            {
                batch[index].Execute(_session);
            }
            index = -1;
            var started = Stopwatch.GetTimestamp();
            _session.Execute("COMMIT");
            open = false;
            s_commitTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            s_batchSize.Record(batch.Count);
            return (-1, null);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException or IOException)
        {
            if (open)
            {
                TryRollback();
            }
            return (index, ex);
        }
        finally
        {
            if (lazy)
            {
                _session.Execute("PRAGMA synchronous=FULL");
            }
        }
    }

    private static bool IsStorageFailure(Exception error) =>
        error is IOException || (error is SqliteException sqlite && sqlite.SqliteErrorCode is 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26);

    private void TryRollback()
    {
        try
        {
            _session.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // The transaction is already gone (SQLite rolls back on some I/O errors by itself).
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await _gate.WaitAsync();
        _disposed = true;
        _session.Dispose();
        _gate.Release();
    }

    private abstract class WriteRequest
    {
        public bool Durable { get; init; } = true;

        public abstract void Execute(WriteSession session);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteRequest<T>(Func<WriteSession, T> work) : WriteRequest
    {
        private T _result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Execute(WriteSession session) => _result = work(session);

        public override void Complete() => Completion.TrySetResult(_result);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
