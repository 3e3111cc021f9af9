using System.Buffers;

namespace Sinew.Hl7v2;

/// <summary>
/// Reads a file or stream of any size one item (message or envelope segment) at a time; memory is bounded by the largest
/// single message, not by the stream. Each item owns a copy of its bytes, so it may outlive the next read.
/// </summary>
public sealed class Hl7BatchReader : IDisposable
{
    private readonly Stream stream;
    private readonly int maxItemBytes;
    private byte[] buffer;
    private int start;
    private int end;
    private long offset;
    private int resume;
    private bool endOfStream;

    /// <summary>Reads from <paramref name="stream"/> (not disposed by the reader unless it is disposed itself).</summary>
    /// <param name="stream">The source.</param>
    /// <param name="maxItemBytes">Largest message accepted; a bigger one is returned in pieces of this size (its parse reports the damage).</param>
    public Hl7BatchReader(Stream stream, int maxItemBytes = 64 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItemBytes, 64);
        this.stream = stream;
        this.maxItemBytes = maxItemBytes;
        buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>Reads the next item, or null at the end of the stream.</summary>
    public async ValueTask<Hl7BatchItem?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(out var item))
            {
                return item;
            }
            if (endOfStream)
            {
                return null;
            }
            Prepare();
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            Received(read);
        }
    }

    /// <summary>Reads every remaining item, one at a time.</summary>
    public async IAsyncEnumerable<Hl7BatchItem> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await ReadAsync(cancellationToken) is { } item)
        {
            yield return item;
        }
    }

    /// <summary>Reads the next item synchronously, or null at the end of the stream.</summary>
    public Hl7BatchItem? Read()
    {
        while (true)
        {
            if (TryTake(out var item))
            {
                return item;
            }
            if (endOfStream)
            {
                return null;
            }
            Prepare();
            Received(stream.Read(buffer, end, buffer.Length - end));
        }
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private bool TryTake(out Hl7BatchItem? item)
    {
        item = null;
        if (start == end)
        {
            return false;
        }
        var data = buffer.AsSpan(start, end - start);
        var length = Hl7Units.FindEnd(data, endOfStream, out var kind, ref resume);
        if (length < 0 && data.Length >= maxItemBytes)
        {
            length = maxItemBytes;
        }
        if (length < 0)
        {
            return false;
        }
        item = new Hl7BatchItem(kind, data[..length].ToArray(), offset);
        resume = 0;
        start += length;
        offset += length;
        return true;
    }

    private void Prepare()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }

    private void Received(int read)
    {
        if (read == 0)
        {
            endOfStream = true;
        }
        end += read;
    }
}
