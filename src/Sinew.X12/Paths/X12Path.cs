using System.Text;

namespace Sinew.X12;

/// <summary>
/// An element address such as <c>BEG03</c>, <c>PO1[2].PO107</c>, <c>N1[ST].N104</c> or <c>N1[ST].N301</c> (N3 within the N1 loop
/// whose N101 is ST), optionally with a component (<c>SV101-2</c>). Parsed once; evaluating it allocates nothing.
/// </summary>
public readonly record struct X12Path
{
    private readonly byte[]? _qualifier;

    private X12Path(string text, int anchorKey, int occurrence, byte[]? qualifier, int segmentKey, int element, int component)
    {
        Text = text;
        AnchorKey = anchorKey;
        Occurrence = occurrence;
        _qualifier = qualifier;
        SegmentKey = segmentKey;
        Element = element;
        Component = component;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>1-based element position.</summary>
    public int Element { get; }

    /// <summary>1-based component position, 0 for the whole element.</summary>
    public int Component { get; }

    /// <summary>Which occurrence of the anchor segment (1-based), 0 when the anchor is chosen by qualifier or absent.</summary>
    public int Occurrence { get; }

    /// <summary>The value the anchor segment's first element must have (the <c>ST</c> of <c>N1[ST]</c>), empty when none.</summary>
    public ReadOnlySpan<byte> Qualifier => _qualifier;

    internal int AnchorKey { get; }

    internal int SegmentKey { get; }

    /// <summary>Parses a path; throws on a malformed one, since paths are written by people in mappings and checked at load.</summary>
    /// <exception cref="FormatException">The path is not valid.</exception>
    public static X12Path Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException($"X12 path '{text}': {error}");

    /// <summary>Parses a path, returning false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, out X12Path path, out string error)
    {
        path = default;
        var anchorKey = -1;
        var occurrence = 0;
        byte[]? qualifier = null;
        var rest = text.AsSpan().Trim();
        var dot = rest.IndexOf('.');
        if (dot >= 0)
        {
            var anchor = rest[..dot];
            rest = rest[(dot + 1)..];
            var open = anchor.IndexOf('[');
            if (open < 0 || anchor[^1] != ']')
            {
                error = "the part before '.' must be a segment with a selector, e.g. PO1[2] or N1[ST]";
                return false;
            }
            var id = anchor[..open];
            var selector = anchor[(open + 1)..^1];
            if (!IsSegmentId(id) || selector.IsEmpty)
            {
                error = "bad anchor segment or empty selector";
                return false;
            }
            anchorKey = X12SegmentId.Key(Encoding.ASCII.GetBytes(id.ToString()));
            if (int.TryParse(selector, out var n))
            {
                if (n < 1)
                {
                    error = "occurrences count from 1";
                    return false;
                }
                occurrence = n;
            }
            else
            {
                qualifier = Encoding.Latin1.GetBytes(selector.ToString());
            }
        }
        var dash = rest.IndexOf('-');
        var component = 0;
        if (dash >= 0)
        {
            if (!int.TryParse(rest[(dash + 1)..], out component) || component < 1)
            {
                error = "component after '-' must be a number from 1";
                return false;
            }
            rest = rest[..dash];
        }
        if (rest.Length is < 4 or > 5 || !char.IsAsciiDigit(rest[^1]) || !char.IsAsciiDigit(rest[^2]))
        {
            error = "an element is a segment identifier and two digits, e.g. BEG03";
            return false;
        }
        var segment = rest[..^2];
        var element = (rest[^2] - '0') * 10 + rest[^1] - '0';
        if (!IsSegmentId(segment) || element < 1)
        {
            error = "an element is a segment identifier and two digits, e.g. BEG03";
            return false;
        }
        path = new X12Path(text, anchorKey, occurrence, qualifier, X12SegmentId.Key(Encoding.ASCII.GetBytes(segment.ToString())), element, component);
        error = "";
        return true;
    }

    /// <summary>The path as written.</summary>
    public override string ToString() => Text;

    private static bool IsSegmentId(ReadOnlySpan<char> id)
    {
        if (id.Length is < 2 or > 3 || !char.IsAsciiLetterUpper(id[0]))
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
