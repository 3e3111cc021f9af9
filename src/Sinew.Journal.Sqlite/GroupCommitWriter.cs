using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Sinew.Core.Journal;

namespace Sinew.Journal.Sqlite;

/// <summary>
/// The journal's single writer. Callers queue work; the writer takes everything waiting at that moment,
/// runs it in one transaction, commits once (one fsync), and only then releases every caller of the batch.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private static readonly Meter s_meter = new("Sinew.Journal");
    private static readonly Histogram<int> s_batchSize = s_meter.CreateHistogram<int>("sinew.journal.commit.batch_size", description: "Writes that shared one commit");
    private static readonly Histogram<double> s_commitTime = s_meter.CreateHistogram<double>("sinew.journal.commit.duration", "ms", "Time of one commit (the fsync)");

    private readonly Channel<WriteRequest> _queue;
    private readonly WriteSession _session;
    private readonly Task _loop;
    private readonly int _maxBatch;

    public GroupCommitWriter(SqliteConnection connection, int maxBatch, int queueCapacity)
    {
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
    public async Task<T> ExecuteAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken)
    {
        var request = new WriteRequest<T>(work);
        await _queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
            }
            RunBatch(batch);
        }
    }

    private void RunBatch(List<WriteRequest> batch)
    {
        var failed = new bool[batch.Count];
        try
        {
            _session.Transaction = _session.Connection.BeginTransaction(deferred: false);
            if (batch.Count == 1)
            {
                // Alone in its batch: the transaction itself isolates it, no savepoint needed.
                try
                {
                    batch[0].Execute(_session);
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException)
                {
                    failed[0] = true;
                    batch[0].Fail(ex);
                    _session.Transaction.Rollback();
                    return;
                }
            }
            for (var i = 0; i < batch.Count && batch.Count > 1; i++)
            {
                // A savepoint per request keeps one bad write from undoing the others of its batch.
                _session.Execute("SAVEPOINT w");
                try
                {
                    batch[i].Execute(_session);
                    _session.Execute("RELEASE w");
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException)
                {
                    _session.Execute("ROLLBACK TO w");
                    _session.Execute("RELEASE w");
                    failed[i] = true;
                    batch[i].Fail(ex);
                }
            }
            var started = Stopwatch.GetTimestamp();
            _session.Transaction.Commit();
            s_commitTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            s_batchSize.Record(batch.Count);
        }
        catch (Exception ex)
        {
            // The commit itself failed (disk full, I/O error, read-only file): nothing of the batch is durable.
            TryRollback();
            for (var i = 0; i < batch.Count; i++)
            {
                if (!failed[i])
                {
                    batch[i].Fail(new JournalUnavailableException("The journal could not commit: " + ex.Message, ex));
                    failed[i] = true;
                }
            }
            return;
        }
        finally
        {
            _session.Transaction?.Dispose();
            _session.Transaction = null;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (!failed[i])
            {
                batch[i].Complete();
            }
        }
    }

    private void TryRollback()
    {
        try
        {
            _session.Transaction?.Rollback();
        }
        catch (SqliteException)
        {
            // The transaction is already gone (SQLite rolls back on some I/O errors by itself).
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _session.Dispose();
    }

    private abstract class WriteRequest
    {
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
