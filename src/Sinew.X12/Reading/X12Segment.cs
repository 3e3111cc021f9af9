using System.Text;

namespace Sinew.X12;

/// <summary>A view over the bytes of one segment (without its terminator); elements are sliced on demand, nothing is copied.</summary>
public readonly ref struct X12Segment
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps the bytes of one segment, identifier first, terminator excluded.</summary>
    public X12Segment(ReadOnlySpan<byte> bytes, X12Delimiters delimiters)
    {
        _bytes = bytes;
        Delimiters = delimiters;
    }

    /// <summary>The segment bytes, identifier first, terminator excluded.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The delimiters of the interchange the segment belongs to.</summary>
    public X12Delimiters Delimiters { get; }

    /// <summary>The segment identifier, e.g. <c>BEG</c>: the bytes before the first element separator.</summary>
    public ReadOnlySpan<byte> Id
    {
        get
        {
            var i = _bytes.IndexOf(Delimiters.Element);
            return i < 0 ? _bytes : _bytes[..i];
        }
    }

    /// <summary>The identifier packed into an integer (up to three bytes), for switch-free comparisons on hot paths.</summary>
    public int IdKey => X12SegmentId.Key(Id);

    /// <summary>The number of elements present (the count of element separators).</summary>
    public int ElementCount => _bytes.Count(Delimiters.Element);

    /// <summary>The element at a 1-based position (BEG03 is position 3); empty when absent.</summary>
    public ReadOnlySpan<byte> GetElement(int position)
    {
        if (position < 0)
        {
            return default;
        }
        var rest = _bytes;
        for (var i = 0; i < position; i++)
        {
            var sep = rest.IndexOf(Delimiters.Element);
            if (sep < 0)
            {
                return default;
            }
            rest = rest[(sep + 1)..];
        }
        var end = rest.IndexOf(Delimiters.Element);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The component at 1-based positions (SV101-2 is element 1, component 2); empty when absent.</summary>
    public ReadOnlySpan<byte> GetComponent(int position, int component) =>
        X12Segment.Slice(GetElement(position), Delimiters.Component, component - 1);

    /// <summary>The element decoded as text (Latin-1, so every byte maps to one character); allocates, for callers off the hot path.</summary>
    public string GetElementText(int position) => Encoding.Latin1.GetString(GetElement(position));

    /// <summary>True when the identifier equals <paramref name="id"/>.</summary>
    public bool Is(ReadOnlySpan<byte> id) => Id.SequenceEqual(id);

    /// <summary>The segment as text, for messages and debugging.</summary>
    public override string ToString() => Encoding.Latin1.GetString(_bytes);

    internal static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> value, byte separator, int index)
    {
        if (index < 0)
        {
            return default;
        }
        var rest = value;
        for (var i = 0; i < index; i++)
        {
            var sep = rest.IndexOf(separator);
            if (sep < 0)
            {
                return default;
            }
            rest = rest[(sep + 1)..];
        }
        var end = rest.IndexOf(separator);
        return end < 0 ? rest : rest[..end];
    }
}
