using System.Buffers;
using System.Text;

namespace Sinew.Hl7v2;

/// <summary>
/// One HL7 v2 message held as its original bytes with an index of segments. Reading a field allocates nothing; an unmodified
/// message serializes to the exact bytes it was parsed from, and an edit rewrites only the segment it touches.
/// </summary>
public sealed partial class Hl7Message
{
    private readonly ReadOnlyMemory<byte> source;
    private readonly int prefixLength;
    private readonly List<SegmentSlot> slots;
    private List<byte[]>? edits;

    internal Hl7Message(ReadOnlyMemory<byte> source, int prefixLength, List<SegmentSlot> slots, Hl7Delimiters delimiters, Hl7TextEncoding encoding)
    {
        this.source = source;
        this.prefixLength = prefixLength;
        this.slots = slots;
        Delimiters = delimiters;
        Encoding = encoding;
    }

    /// <summary>The delimiters declared in MSH-1 and MSH-2.</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>The character set from MSH-18, used to decode and encode text.</summary>
    public Hl7TextEncoding Encoding { get; private set; }

    /// <summary>Number of segments.</summary>
    public int SegmentCount => slots.Count;

    /// <summary>The segment at <paramref name="index"/> (0-based; 0 is MSH).</summary>
    public Segment this[int index] => new(ContentOf(index), Delimiters, Encoding, index);

    /// <summary>MSH-9.1^MSH-9.2, e.g. "ADT^A01" (allocates).</summary>
    public string MessageType => $"{Get(MessageCodePath)}^{Get(TriggerEventPath)}";

    /// <summary>MSH-10, the message control id (allocates).</summary>
    public string ControlId => Get(ControlIdPath).ToString();

    /// <summary>MSH-12.1, the version id such as "2.5.1" (allocates).</summary>
    public string Version => Get(VersionPath).ToString();

    /// <summary>Number of bytes <see cref="WriteTo(IBufferWriter{byte})"/> writes.</summary>
    public int Length
    {
        get
        {
            var length = prefixLength;
            foreach (var slot in slots)
            {
                length += slot.ContentLength + slot.TerminatorLength;
            }
            return length;
        }
    }

    internal static Hl7Path MessageCodePath { get; } = Hl7Path.Parse("MSH-9.1");

    internal static Hl7Path TriggerEventPath { get; } = Hl7Path.Parse("MSH-9.2");

    internal static Hl7Path ControlIdPath { get; } = Hl7Path.Parse("MSH-10");

    internal static Hl7Path VersionPath { get; } = Hl7Path.Parse("MSH-12.1");

    /// <summary>Parses one message from its bytes; never throws for bad input, the issues say what was wrong.</summary>
    /// <param name="data">The message bytes; they are referenced, not copied, so keep them unchanged while the message lives.</param>
    /// <param name="options">What to tolerate; <see cref="Hl7ParseOptions.Default"/> when null.</param>
    public static Hl7ParseResult Parse(ReadOnlyMemory<byte> data, Hl7ParseOptions? options = null) =>
        Hl7Parser.Parse(data, options ?? Hl7ParseOptions.Default);

    /// <summary>Parses one message from a (possibly multi-segment) sequence such as an MLLP frame; the bytes are copied, so the pipe buffer may be released.</summary>
    public static Hl7ParseResult Parse(in System.Buffers.ReadOnlySequence<byte> data, Hl7ParseOptions? options = null) =>
        Hl7Parser.Parse(data.ToArray(), options ?? Hl7ParseOptions.Default);

    /// <summary>Index of occurrence <paramref name="occurrence"/> (1-based) of segment <paramref name="name"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> name, int occurrence = 1)
    {
        var seen = 0;
        var bytes = source.Span;
        for (var i = 0; i < slots.Count; i++)
        {
            var content = ContentSpan(bytes, i);
            if (content.Length >= 3 && content[..3].SequenceEqual(name) && ++seen == occurrence)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Number of segments named <paramref name="name"/>.</summary>
    public int CountOf(ReadOnlySpan<byte> name)
    {
        var count = 0;
        var bytes = source.Span;
        for (var i = 0; i < slots.Count; i++)
        {
            if (ContentSpan(bytes, i).StartsWith(name))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Finds occurrence <paramref name="occurrence"/> of segment <paramref name="name"/>.</summary>
    public bool TryGetSegment(ReadOnlySpan<byte> name, out Segment segment, int occurrence = 1)
    {
        var index = IndexOf(name, occurrence);
        segment = index < 0 ? default : this[index];
        return index >= 0;
    }

    /// <summary>The value at <paramref name="path"/>; empty (with <see cref="Hl7Value.Exists"/> false) when absent. Allocates nothing.</summary>
    public Hl7Value Get(in Hl7Path path)
    {
        var index = FindSegment(path);
        if (index < 0)
        {
            return new Hl7Value(ReadOnlyMemory<byte>.Empty, Delimiters, Encoding, false);
        }
        var raw = ContentOf(index);
        if (path.Field == 0)
        {
            return new Hl7Value(raw, Delimiters, Encoding, true);
        }
        var header = Pieces.IsHeaderName(raw.Span);
        if (!Pieces.TryFindField(raw.Span, Delimiters, header, path.Field, out var start, out var length, out _))
        {
            return new Hl7Value(ReadOnlyMemory<byte>.Empty, Delimiters, Encoding, false);
        }
        raw = raw.Slice(start, length);
        if (header && path.Field <= 2)
        {
            return new Hl7Value(raw, Delimiters, Encoding, true);
        }
        var exists = true;
        if (path.Repetition > 0 || path.Component > 0)
        {
            exists = Narrow(ref raw, Delimiters.Repetition, Math.Max(1, path.Repetition));
        }
        if (exists && path.Component > 0)
        {
            exists = Narrow(ref raw, Delimiters.Component, path.Component);
        }
        if (exists && path.SubComponent > 0)
        {
            exists = Narrow(ref raw, Delimiters.SubComponent, path.SubComponent);
        }
        return new Hl7Value(exists ? raw : ReadOnlyMemory<byte>.Empty, Delimiters, Encoding, exists);
    }

    /// <summary>Writes the message bytes: verbatim for untouched segments.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        var bytes = source.Span;
        Write(writer, bytes[..prefixLength]);
        for (var i = 0; i < slots.Count; i++)
        {
            Write(writer, WholeSpan(bytes, i));
        }
    }

    /// <summary>Writes the message bytes to a stream.</summary>
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(source[..prefixLength], cancellationToken);
        for (var i = 0; i < slots.Count; i++)
        {
            await stream.WriteAsync(WholeOf(i), cancellationToken);
        }
    }

    /// <summary>The message bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var from = source.Span;
        from[..prefixLength].CopyTo(bytes);
        var at = prefixLength;
        for (var i = 0; i < slots.Count; i++)
        {
            var whole = WholeSpan(from, i);
            whole.CopyTo(bytes.AsSpan(at));
            at += whole.Length;
        }
        return bytes;
    }

    /// <summary>The message as text with segments on their own lines (for logs in tests and tools, never for PHI logs).</summary>
    public override string ToString() => Encoding.Encoding.GetString(ToArray());

    internal int FindSegment(in Hl7Path path)
    {
        var seen = 0;
        var bytes = source.Span;
        for (var i = 0; i < slots.Count; i++)
        {
            if (path.MatchesSegment(ContentSpan(bytes, i)) && ++seen == path.SegmentOccurrence)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool Narrow(ref ReadOnlyMemory<byte> raw, byte separator, int position)
    {
        var found = Pieces.TryFind(raw.Span, separator, position - 1, out var start, out var length, out _);
        raw = raw.Slice(start, length);
        return found;
    }

    private static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
        }
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => System.Text.Encoding.ASCII.GetString(bytes);
}
