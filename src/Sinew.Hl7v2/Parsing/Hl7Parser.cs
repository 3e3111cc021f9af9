namespace Sinew.Hl7v2;

/// <summary>Indexes the segments of one message over its original bytes; fields are found on demand, so parsing allocates per segment list, not per field.</summary>
internal static class Hl7Parser
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private static readonly System.Buffers.SearchValues<byte> BlankBytes = System.Buffers.SearchValues.Create(" \t\u001A\0"u8);

    public static Hl7ParseResult Parse(ReadOnlyMemory<byte> data, Hl7ParseOptions options)
    {
        List<Hl7Issue>? issues = null;
        var span = data.Span;
        if (span.IsEmpty)
        {
            Add(ref issues, Hl7IssueCode.EmptyMessage, Hl7Severity.Error, Hl7Location.Message, "The input holds no bytes.");
            return new Hl7ParseResult(null, issues!);
        }
        var position = 0;
        if (span.StartsWith(Bom))
        {
            position = 3;
            Add(ref issues, Hl7IssueCode.ByteOrderMark, options.AllowByteOrderMark ? Hl7Severity.Warning : Hl7Severity.Error, Hl7Location.Message,
                "The input starts with a UTF-8 byte order mark; it is kept but HL7 v2 does not use one.");
        }
        var leading = position;
        while (position < span.Length && IsBlank(span[position]))
        {
            position++;
        }
        if (position > leading)
        {
            Add(ref issues, Hl7IssueCode.ExtraneousBytes, Hl7Severity.Warning, Hl7Location.Message, "Blank bytes precede the MSH segment; they are kept verbatim.");
        }
        var body = span[position..];
        if (body.Length < 3 || !body[..3].SequenceEqual("MSH"u8))
        {
            var batch = body.StartsWith("FHS"u8) || body.StartsWith("BHS"u8);
            Add(ref issues, Hl7IssueCode.MissingHeader, Hl7Severity.Error, Hl7Location.Message, batch
                ? "The input starts with a batch header (FHS/BHS); read it with Hl7Batch or Hl7BatchReader."
                : "The input does not start with an MSH segment.");
            return new Hl7ParseResult(null, issues!);
        }
        if (!Hl7Delimiters.TryRead(body, out var delimiters))
        {
            Add(ref issues, Hl7IssueCode.InvalidDelimiters, Hl7Severity.Error, new Hl7Location("MSH", 1, 2),
                "MSH-1/MSH-2 do not declare a legal set of distinct encoding characters; the standard set ^~\\& is assumed.");
        }
        var terminators = span.Count((byte)'\r');
        var slots = new List<SegmentSlot>(1 + (terminators > 0 ? terminators : span.Count((byte)'\n')));
        Split(span, position, delimiters, options, slots, ref issues);
        var encoding = ResolveEncoding(span.Slice(slots[0].Start, slots[0].ContentLength), delimiters, ref issues);
        var message = new Hl7Message(data, position, slots, delimiters, encoding);
        return new Hl7ParseResult(message, (IReadOnlyList<Hl7Issue>?)issues ?? []);
    }

    private static void Split(ReadOnlySpan<byte> span, int position, Hl7Delimiters delimiters, Hl7ParseOptions options, List<SegmentSlot> slots, ref List<Hl7Issue>? issues)
    {
        bool reportedTerminator = false, reportedBlank = false, reportedMultiple = false;
        while (position < span.Length)
        {
            var lineEnd = span[position..].IndexOfAny((byte)'\r', (byte)'\n');
            var contentEnd = lineEnd < 0 ? span.Length : position + lineEnd;
            var gapEnd = contentEnd;
            while (gapEnd < span.Length && (span[gapEnd] == (byte)'\r' || span[gapEnd] == (byte)'\n'))
            {
                gapEnd++;
            }
            var content = span[position..contentEnd];
            var gap = span[contentEnd..gapEnd];
            if (slots.Count > 0 && IsAllBlank(content))
            {
                var last = slots[^1];
                slots[^1] = last with { TerminatorLength = gapEnd - last.Start - last.ContentLength };
                Once(ref reportedBlank, ref issues, Hl7IssueCode.ExtraneousBytes, Hl7Severity.Warning, Hl7Location.Message,
                    "Blank lines or trailing blanks between segments; they are kept verbatim.");
                position = gapEnd;
                continue;
            }
            if (slots.Count > 0 && !LooksLikeSegment(content, delimiters.Field))
            {
                var last = slots[^1];
                slots[^1] = new SegmentSlot(last.Start, contentEnd - last.Start, gapEnd - contentEnd);
                Add(ref issues, Hl7IssueCode.LineBreakInsideSegment, Hl7Severity.Warning, LocationOf(span, slots, slots.Count - 1),
                    "A line break inside the segment; the next line has no segment identifier so it is read as part of this segment.");
                position = gapEnd;
                continue;
            }
            if (!reportedTerminator && gap.Length > 0 && !(gap.Length == 1 && gap[0] == (byte)'\r'))
            {
                if (gap.Contains((byte)'\n'))
                {
                    reportedTerminator = true;
                    Add(ref issues, Hl7IssueCode.NonStandardSegmentTerminator, options.AllowLineFeedTerminators ? Hl7Severity.Warning : Hl7Severity.Error,
                        Hl7Location.Message, "Segments end with LF or CR LF; HL7 v2 specifies CR. The bytes are kept as received.");
                }
                if (gap.Length > 2 || (gap.Length == 2 && !gap.SequenceEqual("\r\n"u8)))
                {
                    Once(ref reportedBlank, ref issues, Hl7IssueCode.ExtraneousBytes, Hl7Severity.Warning, Hl7Location.Message,
                        "Blank lines between segments; they are kept verbatim.");
                }
            }
            if (slots.Count > 0 && content.StartsWith("MSH"u8))
            {
                Once(ref reportedMultiple, ref issues, Hl7IssueCode.MultipleMessages, Hl7Severity.Warning, new Hl7Location("MSH", 2),
                    "More than one MSH segment; read the input with Hl7Batch or Hl7BatchReader to get one message each.");
            }
            slots.Add(new SegmentSlot(position, contentEnd - position, gapEnd - contentEnd));
            if (!LooksLikeSegment(content, delimiters.Field))
            {
                Add(ref issues, Hl7IssueCode.InvalidSegmentName, Hl7Severity.Error, new Hl7Location("???", slots.Count),
                    $"Segment {slots.Count} does not start with a three-character identifier.");
            }
            position = gapEnd;
        }
    }

    private static Hl7TextEncoding ResolveEncoding(ReadOnlySpan<byte> msh, Hl7Delimiters delimiters, ref List<Hl7Issue>? issues)
    {
        if (!Pieces.TryFindField(msh, delimiters, header: true, 18, out var start, out var length, out _))
        {
            return Hl7TextEncoding.Ascii;
        }
        var field = msh.Slice(start, length);
        Pieces.TryFind(field, delimiters.Repetition, 0, out var first, out var firstLength, out _);
        if (Hl7TextEncoding.TryResolve(field.Slice(first, firstLength), out var encoding))
        {
            return encoding;
        }
        Add(ref issues, Hl7IssueCode.UnsupportedCharacterSet, Hl7Severity.Warning, new Hl7Location("MSH", 1, 18),
            "MSH-18 names a character set this codec does not decode; text is decoded as UTF-8 and bytes are kept as received.");
        return encoding;
    }

    internal static bool LooksLikeSegment(ReadOnlySpan<byte> content, byte fieldSeparator)
    {
        if (content.Length < 3)
        {
            return false;
        }
        for (var i = 0; i < 3; i++)
        {
            var c = content[i];
            if (!((c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'0' && c <= (byte)'9')))
            {
                return false;
            }
        }
        return content.Length == 3 || content[3] == fieldSeparator;
    }

    private static Hl7Location LocationOf(ReadOnlySpan<byte> span, List<SegmentSlot> slots, int index)
    {
        var name = span.Slice(slots[index].Start, slots[index].ContentLength);
        if (name.Length < 3)
        {
            return new Hl7Location("???", index + 1);
        }
        var occurrence = 0;
        for (var i = 0; i <= index; i++)
        {
            if (span.Slice(slots[i].Start, slots[i].ContentLength).StartsWith(name[..3]))
            {
                occurrence++;
            }
        }
        return new Hl7Location(System.Text.Encoding.ASCII.GetString(name[..3]), occurrence);
    }

    private static bool IsBlank(byte b) => b is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t';

    private static bool IsAllBlank(ReadOnlySpan<byte> content) => content.IndexOfAnyExcept(BlankBytes) < 0;

    private static void Once(ref bool reported, ref List<Hl7Issue>? issues, Hl7IssueCode code, Hl7Severity severity, Hl7Location location, string text)
    {
        if (!reported)
        {
            reported = true;
            Add(ref issues, code, severity, location, text);
        }
    }

    private static void Add(ref List<Hl7Issue>? issues, Hl7IssueCode code, Hl7Severity severity, Hl7Location location, string text) =>
        (issues ??= []).Add(new Hl7Issue(code, severity, location, text));
}
