using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Sinew.Core.Journal;
using Sinew.Core.Threading;

namespace Sinew.Journal.Sqlite.Intake;

/// <summary>
/// The journal's intake log: received messages are appended here and made durable with one <c>fdatasync</c> per group,
/// and only then acknowledged; the journal moves them into the indexed inbox table in large batches afterwards.
/// </summary>
/// <remarks>
/// <para>
/// An acknowledgement costs one small write and one data flush of a file whose blocks already exist, instead of a SQLite
/// commit that writes a page for the row and for each of its indexes. Appenders share flushes: the first caller that finds
/// no flush running writes and flushes everything queued so far on its own thread (no hand-off when messages come one at a
/// time); callers arriving meanwhile are flushed together in the next group, by one of the log's two flusher threads. A
/// flusher that finds another group queued when its flush ends hands the next flush to the other flusher at once (the disk
/// stays busy), then lets its own group's callers continue on its thread, one after another: no further wake-up per group.
/// </para>
/// <para>
/// The log is a set of fixed-size segment files (<c>{seq}.seg</c>) written front to back and reused once everything in them
/// has been moved. Each record is <c>[u32 length][u32 crc32][u64 segment seq][i64 id][payload]</c>; the checksum covers
/// the last three parts. A record is valid only if its checksum matches and it names the segment it is in, so the bytes a
/// reused segment still holds from its previous life, and a record torn by a crash, are recognised and ignored. A segment
/// is renamed and its directory flushed before a record goes into it, and its blocks are written once when it is created,
/// so a data flush never has to change file metadata.
/// </para>
/// <para>One process owns the log: the directory's <c>lock</c> file is held exclusively while it is open.</para>
/// </remarks>
internal sealed class IntakeLog : IDisposable
{
    public const int HeaderSize = 24;
    private const string LockFileName = "lock";
    private const string SegmentExtension = ".seg";

    /// <summary>
    /// How long a flusher that finds nothing handed over looks again before it sleeps. A hand-over usually comes within one
    /// flush of the other flusher, and waking a sleeping thread costs about as much as the flush itself on a small VM.
    /// Measured (session 8): with 30 µs every row of the MLLP ingest bench gained (4 connections 10,200–10,400 msg/s against
    /// 8,100–9,900 without); 100 µs lost again where the CPU is short.
    /// </summary>
    private static readonly TimeSpan FlusherSpin = TimeSpan.FromMicroseconds(30);

    private static readonly Meter s_meter = new("Sinew.Journal");
    private static readonly Histogram<int> s_batchSize = s_meter.CreateHistogram<int>("sinew.journal.intake.batch_size", description: "Messages that shared one intake flush");
    private static readonly Histogram<double> s_flushTime = s_meter.CreateHistogram<double>("sinew.journal.intake.flush.duration", "ms", "Time of one intake write and data flush");

    private readonly string _directory;
    private const long MinSegmentSize = 64 * 1024;
    private long _segmentSize;
    private readonly FileStream _lock;
    private readonly Action<List<IntakeEntry>> _onDurable;
    private readonly object _sync = new();
    private readonly Thread[] _flushers;
    private readonly SemaphoreSlim _flusherWake = new(0);
    private volatile bool _flusherStop;

    /// <summary>True while this thread runs the continuations of a flushed group.</summary>
    [ThreadStatic]
    private static bool t_completing;

    // Appenders fill _buffer under _sync; the flusher swaps it out and writes it.
    private byte[] _buffer = new byte[64 * 1024];
    private byte[]? _spare = new byte[64 * 1024];
    private int _length;
    private List<IntakeEntry> _batch = [];
    private List<IntakeEntry>? _spareBatch = [];
    private bool _flushing;
    private long _lastId;
    private bool _closed;

    // Segment state: _active and _next are touched only by the one flusher at a time; _sealed and _free under _sealed's lock.
    private Segment _active = null!;
    private Task<Segment> _next = null!;
    private readonly List<Segment> _sealed = [];
    private readonly Stack<string> _free = new();
    private long _nextSeq;

    private IntakeLog(string directory, long segmentSize, FileStream lockFile, Action<List<IntakeEntry>> onDurable, long lastSeq, List<Segment> existing)
    {
        _directory = directory;
        _segmentSize = segmentSize;
        _lock = lockFile;
        _onDurable = onDurable;
        _nextSeq = lastSeq + 1;
        _sealed.AddRange(existing);
        // Own threads, not the pool's: a queued flush must not wait behind socket work on a busy machine (measured: 4 MLLP
        // connections 9,200–11,400 msg/s against 5,000–7,900 with flushes handed to the pool). Two of them, taking turns: one
        // flushes while the other runs the callers of the group it flushed before (bench/results/mllp-ingest.md, session 8).
        _flushers = new Thread[2];
        for (var i = 0; i < _flushers.Length; i++)
        {
            _flushers[i] = new Thread(FlusherLoop) { IsBackground = true, Name = "sinew-intake-flusher" };
            _flushers[i].Start();
        }
    }

    /// <summary>
    /// Takes the log's directory lock and reads every valid record in it, oldest segment first; null when another process
    /// holds the lock. The log does not accept appends until <see cref="Start"/>.
    /// </summary>
    public static IntakeLog? TryOpen(string directory, long segmentSize, Action<List<IntakeEntry>> onDurable, out List<IntakeRecord> records)
    {
        Directory.CreateDirectory(directory);
        records = [];
        var lockFile = TryLock(Path.Combine(directory, LockFileName));
        if (lockFile is null)
        {
            return null;
        }
        try
        {
            var existing = new List<Segment>();
            long lastSeq = 0;
            foreach (var (seq, path) in ListSegments(directory))
            {
                var maxId = ReadSegment(path, seq, records);
                existing.Add(new Segment(seq, path, null, new FileInfo(path).Length) { MaxId = maxId });
                lastSeq = Math.Max(lastSeq, seq);
            }
            records.Sort((a, b) => a.Id.CompareTo(b.Id));
            return new IntakeLog(directory, segmentSize, lockFile, onDurable, lastSeq, existing);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Accepts appends from now on, numbering them after <paramref name="lastId"/>.</summary>
    public void Start(long lastId)
    {
        // On a small disk, smaller segments: the log never takes more than about a quarter of the free space.
        var free = new DriveInfo(_directory).AvailableFreeSpace;
        _segmentSize = Math.Min(_segmentSize, Math.Max(MinSegmentSize, free / 8 / 4096 * 4096));
        _active = PrepareSegment(NextSeq());
        _next = Task.Run(() => PrepareSegment(NextSeq()));
        lock (_sync)
        {
            _lastId = lastId;
        }
    }

    private static IEnumerable<(long Seq, string Path)> ListSegments(string directory) =>
        Directory.EnumerateFiles(directory, "*" + SegmentExtension)
            .Select(path => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(path), out var seq), Seq: seq, Path: path))
            .Where(s => s.Ok)
            .Select(s => (s.Seq, s.Path))
            .OrderBy(s => s.Seq);

    /// <summary>Adds the segment's valid records to <paramref name="records"/>; returns the highest id among them (0 for none).</summary>
    private static long ReadSegment(string path, long seq, List<IntakeRecord> records)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 0;
        long maxId = 0;
        while (offset + HeaderSize <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            if (length == 0 || length > bytes.Length - offset - HeaderSize)
            {
                break;
            }
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
            var covered = bytes.AsSpan(offset + 8, HeaderSize - 8 + (int)length);
            if (Crc32.HashToUInt32(covered) != crc || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 8)) != seq)
            {
                break; // torn by a crash, or left from the segment's previous life: the log ends here
            }
            var id = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 16));
            records.Add(new IntakeRecord(id, bytes.AsSpan(offset + HeaderSize, (int)length).ToArray()));
            maxId = Math.Max(maxId, id);
            offset += HeaderSize + (int)length;
        }
        return maxId;
    }

    /// <summary>
    /// Numbers the entry, queues its record and returns a task that completes when the record is durable (or fails with
    /// <see cref="JournalUnavailableException"/> when it could not be written).
    /// </summary>
    public Task AppendAsync(IntakeEntry entry)
    {
        bool lead;
        lock (_sync)
        {
            if (_closed)
            {
                throw new JournalUnavailableException("the journal is closing", new ObjectDisposedException(nameof(IntakeLog)));
            }
            entry.Id = ++_lastId;
            var size = HeaderSize + entry.Payload.Length;
            if (_buffer.Length - _length < size)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
            }
            var header = _buffer.AsSpan(_length, HeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)entry.Payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], entry.Id);
            entry.Payload.CopyTo(_buffer.AsSpan(_length + HeaderSize));
            entry.Offset = _length;
            _length += size;
            _batch.Add(entry);
            lead = !_flushing;
            _flushing = true;
        }
        if (lead)
        {
            if (t_completing || IoThread.MustNotBlock)
            {
                // Called from the continuation of another append (a producer appending in a loop): flushing here would make
                // the rest of that group wait a whole flush for their answers. Or called on an I/O thread serving many
                // connections (the MLLP poller) with other connections in hand: a flush there would stall them all. The
                // flusher thread takes it.
                HandOff();
            }
            else
            {
                Flush();
            }
        }
        return entry.Durable.Task;
    }

    /// <summary>
    /// One flush, by the leading appender on its own thread or by a flusher: writes and flushes the queued group. When more
    /// is queued by then, a flusher thread takes over at once (the disk stays busy) while this thread lets the group's
    /// callers continue.
    /// </summary>
    private void Flush()
    {
        var (entries, failure, more) = FlushOne();
        if (more)
        {
            HandOff();
        }
        Complete(entries, failure);
    }

    private void HandOff() => _flusherWake.Release();

    /// <summary>
    /// Takes a flush handed over, then runs the group's callers on this thread; when another group was queued meanwhile, the
    /// other flusher (or this one, whichever is free first) takes it before the callers run. Only one flush runs at a time:
    /// the wake is released once per hand-over, and the flag it hands over is set until the last flush finds nothing queued.
    /// </summary>
    private void FlusherLoop()
    {
        var spinTicks = (long)(Stopwatch.Frequency * FlusherSpin.TotalSeconds);
        while (true)
        {
            var until = Stopwatch.GetTimestamp() + spinTicks;
            var woken = false;
            while (!(woken = _flusherWake.Wait(0)) && Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(20);
            }
            if (!woken)
            {
                _flusherWake.Wait();
            }
            if (_flusherStop)
            {
                return;
            }
            Flush();
        }
    }

    private static void Complete(IntakeEntry[] entries, Exception? failure)
    {
        var outer = t_completing;
        t_completing = true;
        try
        {
            foreach (var entry in entries)
            {
                if (failure is null)
                {
                    entry.Durable.TrySetResult();
                }
                else
                {
                    entry.Durable.TrySetException(failure);
                }
            }
        }
        finally
        {
            t_completing = outer;
        }
    }

    /// <summary>Writes and flushes the queued group; says whether another is queued (then this flusher's turn passes to the next flush).</summary>
    private (IntakeEntry[] Entries, Exception? Failure, bool More) FlushOne()
    {
        byte[] buffer;
        int length;
        List<IntakeEntry> batch;
        lock (_sync)
        {
            buffer = _buffer;
            length = _length;
            batch = _batch;
            _buffer = _spare ?? new byte[Math.Max(64 * 1024, length)];
            _spare = null;
            _batch = _spareBatch ?? [];
            _spareBatch = null;
            _length = 0;
        }
        Exception? failure = null;
        try
        {
            WriteDurably(buffer, length, batch);
        }
        catch (Exception ex)
        {
            // Any failure fails this group only: the log must go on flushing (a flush that threw past here would leave
            // _flushing set, and every later append would wait for ever).
            failure = new JournalUnavailableException("The journal's intake log could not be written: " + ex.Message, ex);
        }
        if (failure is null)
        {
            _onDurable(batch);
        }
        var entries = batch.ToArray();
        batch.Clear();
        bool more;
        lock (_sync)
        {
            _spare ??= buffer;
            _spareBatch ??= batch;
            more = _batch.Count > 0;
            _flushing = more; // still true: owned by the next flush
        }
        return (entries, failure, more);
    }

    private void WriteDurably(byte[] buffer, int length, List<IntakeEntry> batch)
    {
        var started = Stopwatch.GetTimestamp();
        if (_active.Offset + length > _active.Size || _active.Broken)
        {
            SwitchSegment(length);
        }
        var segment = _active;
        foreach (var entry in batch)
        {
            var record = buffer.AsSpan(entry.Offset, HeaderSize + entry.Payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(record[8..], segment.Seq);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.HashToUInt32(record[8..]));
        }
        try
        {
            RandomAccess.Write(segment.Handle!, buffer.AsSpan(0, length), segment.Offset);
            DataSync(segment.Handle!);
        }
        catch
        {
            // After a failed write or flush the file's state is unknown: nothing more goes into this segment.
            segment.Broken = true;
            throw;
        }
        segment.Offset += length;
        segment.MaxId = batch[^1].Id;
        s_batchSize.Record(batch.Count);
        s_flushTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void SwitchSegment(int length)
    {
        Segment next;
        try
        {
            next = _next.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Preparing it failed (a full disk): try again now, the space may be back; if not, this flush fails and the next one tries again.
            var retried = PrepareSegment(NextSeq());
            _next = Task.FromResult(retried);
            next = retried;
        }
        if (next.Size < length)
        {
            Extend(next, length);
        }
        var old = _active;
        old.Handle?.Dispose();
        old.Handle = null;
        lock (_sealed)
        {
            _sealed.Add(old);
        }
        _active = next;
        _next = Task.Run(() => PrepareSegment(NextSeq()));
    }

    private long NextSeq() => Interlocked.Increment(ref _nextSeq) - 1;

    /// <summary>
    /// Makes segment <paramref name="seq"/> ready to take records: a freed segment renamed, or a new one written full of
    /// zeros; then flushed, with its directory entry, so that later data flushes change no metadata.
    /// </summary>
    private Segment PrepareSegment(long seq)
    {
        var path = Path.Combine(_directory, seq.ToString("D12") + SegmentExtension);
        string? reuse = null;
        lock (_sealed)
        {
            if (_free.Count > 0)
            {
                reuse = _free.Pop();
            }
        }
        if (reuse is not null)
        {
            File.Move(reuse, path);
        }
        else
        {
            try
            {
                using var create = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
                WriteZeros(create, 0, _segmentSize);
                DataSync(create);
            }
            catch (IOException)
            {
                File.Delete(path); // a half-written segment on a full disk would only hold on to the space
                throw;
            }
        }
        SyncDirectory(_directory);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        return new Segment(seq, path, handle, RandomAccess.GetLength(handle));
    }

    private static void Extend(Segment segment, int length)
    {
        WriteZeros(segment.Handle!, segment.Size, length - segment.Size);
        DataSync(segment.Handle!);
        // The new length is file metadata: a full fsync once, so that later data flushes need none.
        FullSync(segment.Handle!);
        segment.Size = length;
    }

    private static void WriteZeros(SafeFileHandle handle, long from, long count)
    {
        var zeros = new byte[1024 * 1024];
        for (var written = 0L; written < count; written += zeros.Length)
        {
            RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, count - written)), from + written);
        }
    }

    /// <summary>
    /// Frees every full segment whose records all have ids up to <paramref name="movedId"/>: one or two are kept for
    /// reuse, the rest deleted.
    /// </summary>
    public void Release(long movedId)
    {
        lock (_sealed)
        {
            for (var i = _sealed.Count - 1; i >= 0; i--)
            {
                var segment = _sealed[i];
                if (segment.MaxId > movedId)
                {
                    continue;
                }
                _sealed.RemoveAt(i);
                if (_free.Count < 2 && segment.Size == _segmentSize)
                {
                    _free.Push(segment.Path);
                }
                else
                {
                    File.Delete(segment.Path);
                }
            }
        }
    }

    /// <summary>Stops appends; records already queued are still flushed.</summary>
    public async Task CloseAsync()
    {
        lock (_sync)
        {
            _closed = true;
        }
        while (true)
        {
            lock (_sync)
            {
                if (!_flushing)
                {
                    return;
                }
            }
            await Task.Delay(1);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _closed = true;
        }
        _flusherStop = true;
        _flusherWake.Release(_flushers.Length);
        foreach (var flusher in _flushers)
        {
            flusher.Join();
        }
        if (_next is null)
        {
            _lock.Dispose();
            return; // never started
        }
        _active.Handle?.Dispose();
        try
        {
            _next.GetAwaiter().GetResult().Handle?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Preparing the next segment failed; there is nothing to close.
        }
        _lock.Dispose();
    }

    /// <summary>
    /// Opens the lock file and takes an exclusive lock on it, or returns null when another owner holds it. On Linux the lock
    /// is an open-file-description lock (<c>F_OFD_SETLK</c>): it conflicts with any other opener, in this process too, but
    /// not with the shared <c>flock</c> .NET takes to read a file, so a backup that copies the data folder still can.
    /// </summary>
    private static FileStream? TryLock(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return null;
            }
        }
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var request = new FileLock { Type = 1 /* F_WRLCK */, Whence = 0 /* SEEK_SET */ };
        if (fcntl(stream.SafeFileHandle, 37 /* F_OFD_SETLK */, ref request) == 0)
        {
            return stream;
        }
        var error = Marshal.GetLastPInvokeError();
        stream.Dispose();
        if (error is 11 or 13) // EAGAIN, EACCES: held by another owner
        {
            return null;
        }
        throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FileLock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(SafeFileHandle fd, int command, ref FileLock request);

    private static void DataSync(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            if (fdatasync(handle) != 0)
            {
                throw new IOException($"fdatasync failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
            return;
        }
        FullSync(handle);
    }

    private static void FullSync(SafeFileHandle handle)
    {
        // A stream over a borrowed handle: disposing it must not close the segment.
        using var borrowed = new SafeFileHandle(handle.DangerousGetHandle(), ownsHandle: false);
        using var stream = new FileStream(borrowed, FileAccess.ReadWrite, bufferSize: 0);
        stream.Flush(flushToDisk: true);
    }

    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Windows has no directory handles to flush; NTFS journals renames itself.
        }
        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open {directory} to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of {directory} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = close(fd); // a failed close of a read-only directory handle loses nothing
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(SafeFileHandle fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    private sealed class Segment(long seq, string path, SafeFileHandle? handle, long size)
    {
        public long Seq { get; } = seq;

        public string Path { get; } = path;

        public SafeFileHandle? Handle { get; set; } = handle;

        public long Size { get; set; } = size;

        public long Offset { get; set; }

        public long MaxId { get; set; }

        public bool Broken { get; set; }
    }
}

/// <summary>One record read back from the log.</summary>
internal sealed record IntakeRecord(long Id, byte[] Payload);

/// <summary>A record on its way into the log: its payload, the id the log gives it, and the flush it waits for.</summary>
internal class IntakeEntry(byte[] payload)
{
    public byte[] Payload { get; } = payload;

    public long Id { get; set; }

    /// <summary>Where the record sits in the log's write buffer until it is flushed.</summary>
    internal int Offset { get; set; }

    /// <summary>
    /// Completes when the record is durable. Continuations run on the thread that flushed, so a caller must not block
    /// on another append inside its continuation.
    /// </summary>
    public TaskCompletionSource Durable { get; } = new();
}
