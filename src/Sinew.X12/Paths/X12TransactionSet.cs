using System.Text;

namespace Sinew.X12;

/// <summary>One transaction set (ST..SE) held in memory as its original bytes and segment offsets; elements are read by path.</summary>
public sealed class X12TransactionSet
{
    private readonly byte[] _bytes;
    private readonly (int Start, int Length)[] _segments;

    /// <summary>Wraps the bytes of a set and the offsets of its segments (terminators excluded).</summary>
    public X12TransactionSet(byte[] bytes, (int Start, int Length)[] segments, X12Delimiters delimiters)
    {
        _bytes = bytes;
        _segments = segments;
        Delimiters = delimiters;
    }

    /// <summary>The delimiters of the interchange the set came in.</summary>
    public X12Delimiters Delimiters { get; }

    /// <summary>Number of segments, ST and SE included.</summary>
    public int Count => _segments.Length;

    /// <summary>The set's bytes as received.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Transaction set identifier code, ST01.</summary>
    public string SetId => Count > 0 ? this[0].GetElementText(1) : "";

    /// <summary>Transaction set control number, ST02.</summary>
    public string ControlNumber => Count > 0 ? this[0].GetElementText(2) : "";

    /// <summary>The segment at a 0-based index (ST is 0).</summary>
    public X12Segment this[int index] => new(_bytes.AsSpan(_segments[index].Start, _segments[index].Length), Delimiters);

    /// <summary>The value a path points to, empty when the segment or element is absent.</summary>
    public ReadOnlySpan<byte> Get(in X12Path path)
    {
        var index = FindSegment(path);
        if (index < 0)
        {
            return default;
        }
        var segment = this[index];
        return path.Component > 0 ? segment.GetComponent(path.Element, path.Component) : segment.GetElement(path.Element);
    }

    /// <summary>The value a path points to as text (allocates; for callers off the hot path).</summary>
    public string GetText(in X12Path path) => Encoding.Latin1.GetString(Get(path));

    /// <summary>The value a path written as text points to, e.g. <c>set.GetText("N1[ST].N104")</c>.</summary>
    public string GetText(string path) => GetText(X12Path.Parse(path));

    private int FindSegment(in X12Path path)
    {
        if (path.AnchorKey < 0)
        {
            return Next(path.SegmentKey, 0, -1);
        }
        var anchor = -1;
        if (path.Occurrence > 0)
        {
            for (var seen = 0; seen < path.Occurrence; seen++)
            {
                anchor = Next(path.AnchorKey, anchor + 1, -1);
                if (anchor < 0)
                {
                    return -1;
                }
            }
        }
        else
        {
            while (true)
            {
                anchor = Next(path.AnchorKey, anchor + 1, -1);
                if (anchor < 0)
                {
                    return -1;
                }
                if (this[anchor].GetElement(1).SequenceEqual(path.Qualifier))
                {
                    break;
                }
            }
        }
        return path.SegmentKey == path.AnchorKey ? anchor : Next(path.SegmentKey, anchor + 1, path.AnchorKey);
    }

    // The next segment with the key from a start index; stops at a segment with stopKey (the next iteration of the loop).
    private int Next(int key, int from, int stopKey)
    {
        for (var i = from; i < _segments.Length; i++)
        {
            var k = this[i].IdKey;
            if (k == key)
            {
                return i;
            }
            if (k == stopKey || k == X12SegmentId.Se)
            {
                return -1;
            }
        }
        return -1;
    }
}
