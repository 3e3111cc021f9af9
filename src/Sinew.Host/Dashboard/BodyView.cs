using System.Text;
using System.Text.Json;
using Sinew.Hl7v2;

namespace Sinew.Host.Dashboard;

/// <summary>
/// Shows a message's raw bytes as an integration engineer reads them: HL7 v2 segment by segment (each field titled with
/// its position, e.g. PID-3), JSON pretty-printed, other text as is, binary as hex and base64.
/// </summary>
internal static class BodyView
{
    /// <summary>Above this the view shows the start only, so a 60 MB batch file does not become a 300 MB page.</summary>
    public const int MaxShownBytes = 512 * 1024;

    public static void Write(HtmlWriter html, string contentType, ReadOnlyMemory<byte> body)
    {
        var shown = body.Length > MaxShownBytes ? body[..MaxShownBytes] : body;
        if (body.Length > MaxShownBytes)
        {
            html.Add($"<p class=\"notice\">The message is {Format.Bytes(body.Length)}; the first {Format.Bytes(MaxShownBytes)} are shown.</p>");
        }
        var span = shown.Span;
        var isText = IsUtf8(span, truncated: body.Length > MaxShownBytes);
        if (isText && IsHl7(contentType, span) && TryWriteHl7(html, shown))
        {
            return;
        }
        if (isText && IsJson(contentType, span) && body.Length <= MaxShownBytes && TryWriteJson(html, span))
        {
            return;
        }
        if (isText)
        {
            html.Add($"<pre aria-label=\"Message text\">{Encoding.UTF8.GetString(span)}</pre>");
            return;
        }
        WriteBinary(html, span, body);
    }

    public static bool IsHl7(string contentType, ReadOnlySpan<byte> body) =>
        contentType.Contains("hl7", StringComparison.OrdinalIgnoreCase) && !contentType.Contains("fhir", StringComparison.OrdinalIgnoreCase)
        || body.StartsWith("MSH"u8) || body.StartsWith("FHS"u8) || body.StartsWith("BHS"u8);

    private static bool IsJson(string contentType, ReadOnlySpan<byte> body)
    {
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] is (byte)'{' or (byte)'[';
    }

    /// <summary>Text: valid UTF-8 without control characters, allowing a character cut in half at the end when the view was truncated.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> span, bool truncated)
    {
        // Control characters other than tab, line breaks and form feed make it data, not text to read.
        if (span.IndexOfAnyInRange((byte)0x00, (byte)0x08) >= 0 || span.IndexOfAnyInRange((byte)0x0E, (byte)0x1F) >= 0)
        {
            return false;
        }
        for (var cut = 0; cut <= (truncated ? Math.Min(3, span.Length) : 0); cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(span[..^cut]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryWriteHl7(HtmlWriter html, ReadOnlyMemory<byte> body)
    {
        // Batches (FHS/BHS) and anything that is not one message are shown as text.
        var parsed = Hl7Message.Parse(body);
        if (parsed.Message is not { } message)
        {
            return false;
        }
        html.Add($"""
            <p class="small muted">HL7 v2 {message.MessageType} (version {message.Version}), {message.SegmentCount} segments. Hover a field for its position, or open a segment for its fields.</p>
            <ol class="hl7" aria-label="Segments">
            """);
        for (var i = 0; i < message.SegmentCount; i++)
        {
            WriteSegment(html, message[i]);
        }
        html.Add($"</ol>");
        return true;
    }

    private static void WriteSegment(HtmlWriter html, Segment segment)
    {
        var name = segment.Name;
        var separator = ((char)segment.Delimiters.Field).ToString();
        var count = segment.FieldCount;
        var line = new HtmlWriter();
        var table = new HtmlWriter();
        line.Add($"<span class=\"seg\">{name}</span>");
        for (var n = 1; n <= count; n++)
        {
            var text = Encoding.UTF8.GetString(segment.Field(n).Raw.Span);
            if (segment.IsHeader && n == 1)
            {
                // MSH-1 is the field separator itself.
                line.Add($"<span class=\"f\" title=\"{name}-1\">{separator}</span>");
                table.Add($"<tr><th scope=\"row\" class=\"mono\">{name}-1</th><td class=\"mono\">{separator}</td></tr>");
                continue;
            }
            if (!(segment.IsHeader && n == 2))
            {
                line.Add($"<span class=\"sep\">{separator}</span>");
            }
            if (text.Length > 0)
            {
                line.Add($"<span class=\"f\" title=\"{name}-{n}\">{text}</span>");
                table.Add($"<tr><th scope=\"row\" class=\"mono\">{name}-{n}</th><td class=\"mono\">{text}</td></tr>");
            }
        }
        html.Add($"""
            <li><details><summary class="mono">{line.ToContent()}</summary>
            <table><caption class="visually-hidden">Fields of {name}</caption><thead><tr><th scope="col">Field</th><th scope="col">Value (as sent)</th></tr></thead><tbody>{table.ToContent()}</tbody></table>
            </details></li>
            """);
    }

    private static bool TryWriteJson(HtmlWriter html, ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(body.Length * 2);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.WriteTo(writer);
            }
            html.Add($"<p class=\"small muted\">JSON, pretty-printed (the bytes as received are unchanged in the journal).</p><pre aria-label=\"Message JSON\">{Encoding.UTF8.GetString(buffer.WrittenSpan)}</pre>");
            return true;
        }
        catch (JsonException)
        {
            html.Add($"<p class=\"small muted\">Not well-formed JSON; shown as received.</p>");
            return false;
        }
    }

    private static void WriteBinary(HtmlWriter html, ReadOnlySpan<byte> span, ReadOnlyMemory<byte> body)
    {
        var hex = new StringBuilder(span.Length * 4);
        var rows = Math.Min(span.Length, 16 * 1024);
        for (var offset = 0; offset < rows; offset += 16)
        {
            var row = span.Slice(offset, Math.Min(16, span.Length - offset));
            hex.Append(offset.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                hex.Append(i < row.Length ? row[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + " " : "   ");
            }
            hex.Append(' ');
            foreach (var b in row)
            {
                hex.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }
            hex.Append('\n');
        }
        html.Add($"""
            <p class="small muted">Binary ({Format.Bytes(body.Length)}): hex{(rows < span.Length ? " of the first 16 KB" : "")}, and base64 below.</p>
            <pre aria-label="Hex dump">{hex.ToString()}</pre>
            <details><summary>Base64</summary><pre>{Convert.ToBase64String(span)}</pre></details>
            """);
    }
}
