using System.Buffers;

namespace Sinew.Hl7v2;

/// <summary>Building and changing messages; every edit rewrites only the segment it touches.</summary>
public sealed partial class Hl7Message
{

    /// <summary>Starts a new message with an MSH segment.</summary>
    /// <param name="messageType">MSH-9 as written, e.g. "ADT^A01^ADT_A01".</param>
    /// <param name="controlId">MSH-10.</param>
    /// <param name="version">MSH-12, e.g. "2.5.1".</param>
    /// <param name="timestamp">MSH-7; omitted when null.</param>
    /// <param name="delimiters">Encoding characters; <see cref="Hl7Delimiters.Standard"/> when null.</param>
    /// <param name="processingId">MSH-11, "P" for production.</param>
    public static Hl7Message Create(string messageType, string controlId, string version = "2.5.1", DateTimeOffset? timestamp = null, Hl7Delimiters? delimiters = null, string processingId = "P")
    {
        var d = delimiters ?? Hl7Delimiters.Standard;
        Span<byte> msh = stackalloc byte[9];
        "MSH"u8.CopyTo(msh);
        msh[3] = d.Field;
        var length = 4 + d.WriteEncodingCharacters(msh[4..]);
        var message = new Hl7Message(ReadOnlyMemory<byte>.Empty, 0, [], d, Hl7TextEncoding.Ascii);
        message.Store(0, msh[..length], "\r"u8, insert: true);
        if (timestamp is { } time)
        {
            message.SetRaw(Hl7Path.Create("MSH", 7), System.Text.Encoding.ASCII.GetBytes(Hl7Timestamp.Format(time)));
        }
        var parts = messageType.Split('^');
        for (var i = 0; i < parts.Length; i++)
        {
            message.Set(Hl7Path.Create("MSH", 9, 1, i + 1), parts[i]);
        }
        message.Set(Hl7Path.Create("MSH", 10), controlId);
        message.Set(Hl7Path.Create("MSH", 11), processingId);
        message.Set(Hl7Path.Create("MSH", 12), version);
        return message;
    }

    /// <summary>A new message holding one MSH segment written elsewhere (the ACK builder), terminated by CR.</summary>
    internal static Hl7Message FromHeader(ReadOnlySpan<byte> msh, Hl7Delimiters delimiters, Hl7TextEncoding encoding)
    {
        var message = new Hl7Message(ReadOnlyMemory<byte>.Empty, 0, [], delimiters, encoding);
        message.Store(0, msh, "\r"u8, insert: true);
        return message;
    }

    /// <summary>Sets the text at <paramref name="path"/>, escaping delimiters; the segment is appended when it is the next occurrence.</summary>
    public void Set(in Hl7Path path, string? text)
    {
        var writer = new ArrayBufferWriter<byte>((text?.Length ?? 0) + 8);
        Hl7Escaping.Encode(text, Delimiters, Encoding, writer);
        SetRaw(path, writer.WrittenSpan);
    }

    /// <summary>Sets already-escaped bytes at <paramref name="path"/>; missing fields, repetitions and components are created empty.</summary>
    /// <exception cref="ArgumentException">The path addresses MSH-1/MSH-2, a whole segment, or an occurrence beyond the next one; or the bytes hold a line break.</exception>
    public void SetRaw(in Hl7Path path, ReadOnlySpan<byte> escaped)
    {
        if (path.Field == 0)
        {
            throw new ArgumentException("Set needs a field; use ReplaceSegment to replace a whole segment.", nameof(path));
        }
        if (escaped.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            throw new ArgumentException("Escaped bytes cannot hold a line break; use Set to escape text.", nameof(escaped));
        }
        var index = FindSegment(path);
        if (index < 0)
        {
            if (CountOf(System.Text.Encoding.ASCII.GetBytes(path.Segment)) != path.SegmentOccurrence - 1)
            {
                throw new ArgumentException($"{path} addresses an occurrence beyond the next {path.Segment} segment.", nameof(path));
            }
            index = AddSegment(path.Segment);
        }
        var content = ContentOf(index).Span;
        var header = Pieces.IsHeaderName(content);
        if (header && path.Field <= 2)
        {
            throw new ArgumentException("MSH-1 and MSH-2 declare the delimiters and cannot be set.", nameof(path));
        }
        var updated = Hl7Splice.Replace(content, Delimiters, header, path, escaped);
        Store(index, updated, TerminatorOf(index).Span, insert: false);
        if (index == 0 && path.Field == 18)
        {
            Encoding = Hl7TextEncoding.TryResolve(Get(Hl7Path.Create("MSH", 18, 1)).Span, out var encoding) ? encoding : Hl7TextEncoding.Utf8;
        }
    }

    /// <summary>Adds a repetition at the end of the field at <paramref name="path"/> and returns its position.</summary>
    public int AddRepetition(in Hl7Path path, string? text)
    {
        var field = Get(Hl7Path.Create(path.Segment, path.Field, segmentOccurrence: path.SegmentOccurrence));
        var position = Pieces.Count(field.Span, Delimiters.Repetition) + 1;
        Set(Hl7Path.Create(path.Segment, path.Field, position, path.Component, path.SubComponent, path.SegmentOccurrence), text);
        return position;
    }

    /// <summary>Removes repetition <paramref name="repetition"/> of the field at <paramref name="path"/>; false when absent.</summary>
    public bool RemoveRepetition(in Hl7Path path, int repetition)
    {
        var fieldPath = Hl7Path.Create(path.Segment, path.Field, segmentOccurrence: path.SegmentOccurrence);
        var field = Get(fieldPath).Span;
        if (!Pieces.TryFind(field, Delimiters.Repetition, repetition - 1, out var start, out var length, out _))
        {
            return false;
        }
        var cutStart = start > 0 ? start - 1 : start;
        var cutEnd = start > 0 ? start + length : Math.Min(field.Length, start + length + 1);
        var remaining = new byte[field.Length - (cutEnd - cutStart)];
        field[..cutStart].CopyTo(remaining);
        field[cutEnd..].CopyTo(remaining.AsSpan(cutStart));
        SetRaw(fieldPath, remaining);
        return true;
    }

    /// <summary>Appends an empty segment named <paramref name="name"/> and returns its index.</summary>
    public int AddSegment(string name) => InsertSegment(slots.Count, name);

    /// <summary>Inserts an empty segment named <paramref name="name"/> at <paramref name="index"/> and returns the index.</summary>
    public int InsertSegment(int index, string name)
    {
        var path = Hl7Path.Create(name, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, slots.Count);
        return InsertSegmentBytes(index, System.Text.Encoding.ASCII.GetBytes(path.Segment));
    }

    /// <summary>Replaces segment <paramref name="index"/> with already-escaped bytes (no terminator); the terminator is kept.</summary>
    public void ReplaceSegment(int index, ReadOnlySpan<byte> content)
    {
        if (!Hl7Parser.LooksLikeSegment(content, Delimiters.Field) || content.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            throw new ArgumentException("Segment bytes must start with an identifier and hold no line break.", nameof(content));
        }
        var msh = ContentOf(0).Span;
        if (index == 0 && !content.StartsWith(msh[..Math.Min(msh.Length, 8)]))
        {
            throw new ArgumentException("The MSH segment must keep its delimiters; set its fields instead.", nameof(content));
        }
        Store(index, content, TerminatorOf(index).Span, insert: false);
    }

    /// <summary>Removes segment <paramref name="index"/> (not MSH).</summary>
    public void RemoveSegment(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        var removedTerminator = slots[index].TerminatorLength;
        slots.RemoveAt(index);
        if (index == slots.Count && removedTerminator == 0)
        {
            Store(index - 1, ContentOf(index - 1).Span, [], insert: false);
        }
    }

    /// <summary>Inserts already-escaped segment bytes (no terminator) at <paramref name="index"/>.</summary>
    public int InsertSegmentBytes(int index, ReadOnlySpan<byte> content)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, slots.Count);
        if (!Hl7Parser.LooksLikeSegment(content, Delimiters.Field) || content.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            throw new ArgumentException("Segment bytes must start with an identifier and hold no line break.", nameof(content));
        }
        if (index == slots.Count && slots.Count > 0 && slots[^1].TerminatorLength == 0)
        {
            Store(slots.Count - 1, ContentOf(slots.Count - 1).Span, "\r"u8, insert: false);
        }
        Store(index, content, "\r"u8, insert: true);
        return index;
    }
}
