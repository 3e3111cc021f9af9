namespace Sinew.X12;

/// <summary>
/// Numbers the distinct segment identifiers of one transaction set 0..n-1, so the structure walk finds a segment's place
/// in a loop with one hash probe per segment and one array read per open loop, instead of scanning the loop's children.
/// </summary>
internal sealed class X12SegmentKeyTable
{
    private const int Empty = int.MinValue;
    private readonly int[] _keys;
    private readonly int[] _ordinals;
    private readonly int _shift;

    public X12SegmentKeyTable(IEnumerable<int> keys)
    {
        var distinct = keys.Distinct().ToArray();
        Count = distinct.Length;
        var size = 8;
        while (size < distinct.Length * 4)
        {
            size *= 2;
        }
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)size);
        _keys = new int[size];
        _ordinals = new int[size];
        Array.Fill(_keys, Empty);
        for (var i = 0; i < distinct.Length; i++)
        {
            var slot = Slot(distinct[i]);
            while (_keys[slot] != Empty)
            {
                slot = (slot + 1) & (size - 1);
            }
            _keys[slot] = distinct[i];
            _ordinals[slot] = i;
        }
    }

    /// <summary>How many distinct identifiers the set has.</summary>
    public int Count { get; }

    /// <summary>The number of a segment identifier key, or -1 when the set has no such segment.</summary>
    public int Ordinal(int key)
    {
        var keys = _keys;
        var slot = Slot(key);
        while (true)
        {
            var found = keys[slot];
            if (found == key)
            {
                return _ordinals[slot];
            }
            if (found == Empty)
            {
                return -1;
            }
            slot = (slot + 1) & (keys.Length - 1);
        }
    }

    private int Slot(int key) => (int)((uint)(key * 0x9E3779B1) >> _shift);
}
