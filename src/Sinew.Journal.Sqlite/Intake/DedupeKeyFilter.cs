namespace Sinew.Journal.Sqlite.Intake;

/// <summary>
/// A Bloom filter of the (channel, dedupe key) pairs in the inbox table, so intake reads the table only for a key that
/// may be there: nearly every message is new, and the read it saves was a quarter of the MLLP threads' CPU per message.
/// </summary>
/// <remarks>
/// <para>
/// "No" is certain, "maybe" sends the caller to the table, which stays the only authority: a false positive costs one
/// read, a key the table dropped since (a released or deleted row) only keeps answering "maybe". Until the table's keys
/// are loaded, and while a fuller filter is being built, every answer is "maybe".
/// </para>
/// <para>
/// Keys must be added once their rows are committed and before the caller stops covering them otherwise (the intake's
/// map of keys still on their way in): a build opens its backlog before it reads the table, so a key committed before
/// the read began is in the read, and one added after the backlog opened is in the backlog.
/// </para>
/// </remarks>
internal sealed class DedupeKeyFilter
{
    /// <summary>Bits per key at the filter's capacity; it is built for twice the keys it holds, 20 bits per key then.</summary>
    private const int BitsPerKey = 10;
    private const int Probes = 7;
    private const long MaxBits = 1L << 32;

    private readonly object _sync = new();
    private readonly long _minKeys;
    private Bits? _bits;
    private long _count;
    private long _capacity;
    private List<(uint, uint)>? _backlog;
    private bool _building;

    /// <param name="minKeys">The fewest keys a filter is built for (tests pass a small number to make it grow).</param>
    public DedupeKeyFilter(long minKeys = 1 << 20) => _minKeys = Math.Max(1, minKeys);

    /// <summary>Whether "no" answers are given: the table's keys are loaded and the filter is not full.</summary>
    public bool IsReady => Volatile.Read(ref _bits) is not null;

    /// <summary>Keys the current filter holds (loaded and added).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>False only when no row of the table has this key on this channel.</summary>
    public bool MightContain(string channel, string key)
    {
        var bits = Volatile.Read(ref _bits);
        return bits is null || bits.Contains(Hash(channel, key));
    }

    /// <summary>Adds a key whose row is committed; returns true when the filter is now full and needs <see cref="Build"/>.</summary>
    public bool Add(string channel, string key)
    {
        var hash = Hash(channel, key);
        lock (_sync)
        {
            _backlog?.Add(hash);
            if (_bits is not { } bits)
            {
                return false;
            }
            bits.Set(hash);
            if (++_count <= _capacity)
            {
                return false;
            }
            // Full: answer "maybe" until a bigger one is built; the caller starts that build.
            Volatile.Write(ref _bits, null);
            return !_building;
        }
    }

    /// <summary>
    /// Builds the filter from the table's keys (<paramref name="readKeys"/> reads them all, <paramref name="expected"/>
    /// is about how many) and the keys added meanwhile, then starts answering "no". One build at a time.
    /// </summary>
    public void Build(long expected, Func<IEnumerable<(string Channel, string Key)>> readKeys, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_building)
            {
                return;
            }
            _building = true;
            _backlog = [];
            Volatile.Write(ref _bits, null);
        }
        try
        {
            var capacity = Math.Max(_minKeys, 2 * Math.Max(expected, Count));
            var bitCount = Math.Min(MaxBits, capacity * BitsPerKey);
            capacity = bitCount / BitsPerKey;
            var bits = new Bits((ulong)bitCount);
            long count = 0;
            foreach (var (channel, key) in readKeys())
            {
                cancellationToken.ThrowIfCancellationRequested();
                bits.Set(Hash(channel, key));
                count++;
            }
            lock (_sync)
            {
                foreach (var hash in _backlog!)
                {
                    bits.Set(hash);
                }
                count += _backlog.Count;
                if (count > capacity)
                {
                    return; // More keys than the largest filter holds: every answer stays "maybe".
                }
                _count = count;
                _capacity = capacity;
                Volatile.Write(ref _bits, bits);
            }
        }
        finally
        {
            lock (_sync)
            {
                _backlog = null;
                _building = false;
            }
        }
    }

    private static (uint H1, uint H2) Hash(string channel, string key)
    {
        // Per-process random seeds (string hashing is randomized), so no sender can pick keys that collide on purpose.
        var c = channel.GetHashCode();
        var k = key.GetHashCode();
        return ((uint)HashCode.Combine(c, k), (uint)HashCode.Combine(k, c, 0x2545F491) | 1);
    }

    /// <summary>Maps a 32-bit hash onto [0, bitCount) without a division (bitCount ≤ 2^32).</summary>
    private static ulong Reduce(uint hash, ulong bitCount) => (hash * bitCount) >> 32;

    /// <summary>One filter's bits and their number, published together so a reader never mixes two builds.</summary>
    private sealed class Bits(ulong count)
    {
        public ulong Count { get; } = count;

        public ulong[] Words { get; } = new ulong[(count + 63) / 64];

        /// <summary>Sets the key's bits; under the filter's lock once published.</summary>
        public void Set((uint H1, uint H2) hash)
        {
            for (var i = 0u; i < Probes; i++)
            {
                var (word, mask) = Probe(hash, i);
                Volatile.Write(ref Words[word], Words[word] | mask);
            }
        }

        /// <summary>Whether all the key's bits are set; safe beside <see cref="Set"/>.</summary>
        public bool Contains((uint H1, uint H2) hash)
        {
            for (var i = 0u; i < Probes; i++)
            {
                var (word, mask) = Probe(hash, i);
                if ((Volatile.Read(ref Words[word]) & mask) == 0)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The word and bit of the key's probe <paramref name="i"/> (double hashing).</summary>
        private (ulong Word, ulong Mask) Probe((uint H1, uint H2) hash, uint i)
        {
            var bit = Reduce(hash.H1 + (i * hash.H2), Count);
            return (bit >> 6, 1UL << (int)(bit & 63));
        }
    }
}
