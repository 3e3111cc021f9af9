using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Sinew.Fhir.Validation;

namespace Sinew.Fhir.Parsing;

/// <summary>
/// Turns a FHIR R4 body into a resource with Firely's deserializers, after a cheap first pass that refuses what could
/// hurt the process: nesting deeper than the limit, XML with a DTD or entities. Never throws for bad input.
/// </summary>
public static class FhirParser
{
    // Strict: unknown elements, bad codes and wrong literals are errors (a misspelled element must not vanish silently).
    private static readonly FhirJsonDeserializer JsonDeserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private static readonly FhirXmlDeserializer XmlDeserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    public static FhirParseResult Parse(ReadOnlyMemory<byte> body, FhirFormat format, int maxDepth) =>
        format == FhirFormat.Xml ? ParseXml(body, maxDepth) : ParseJson(body, maxDepth);

    public static FhirParseResult ParseJson(ReadOnlyMemory<byte> body, int maxDepth)
    {
        var bytes = body.Span;
        if (bytes.StartsWith("\xEF\xBB\xBF"u8))
        {
            bytes = bytes[3..];
        }
        if (!Utf8.IsValid(bytes))
        {
            return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure,
                $"the JSON is not valid UTF-8 (first bad byte at offset {FirstInvalidUtf8(bytes)}); FHIR JSON is UTF-8"));
        }
        // The reader is iterative, so this pass checks syntax and depth without recursion of any kind.
        var options = new JsonReaderOptions { MaxDepth = maxDepth + 1, CommentHandling = JsonCommentHandling.Disallow };
        var scan = new Utf8JsonReader(bytes, options);
        try
        {
            if (scan.Read() && scan.TokenType != JsonTokenType.StartObject)
            {
                return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure,
                    $"a FHIR JSON resource is an object with a resourceType; the body starts with {scan.TokenType}"));
            }
            while (scan.Read())
            {
                if (scan.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && scan.CurrentDepth >= maxDepth)
                {
                    return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.TooCostly,
                        $"the JSON is nested deeper than {maxDepth} levels (at byte {scan.TokenStartIndex}); refused before parsing"));
                }
            }
        }
        catch (JsonException ex)
        {
            return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure, "invalid JSON: " + JsonProblem(ex)));
        }

        var reader = new Utf8JsonReader(bytes, options);
        try
        {
            JsonDeserializer.TryDeserializeResource(ref reader, out var resource, out var issues);
            return new FhirParseResult(resource, issues.Select(ToIssue).ToList());
        }
        catch (JsonException ex)
        {
            return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure, "invalid JSON: " + JsonProblem(ex)));
        }
        catch (Exception ex) when (IsParserRefusal(ex))
        {
            return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure, "the FHIR parser could not read the resource: " + ex.Message));
        }
    }

    public static FhirParseResult ParseXml(ReadOnlyMemory<byte> body, int maxDepth)
    {
        try
        {
            using (var scan = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), SecureSettings(body.Length)))
            {
                while (scan.Read())
                {
                    if (scan.NodeType == XmlNodeType.Element && scan.Depth >= maxDepth)
                    {
                        var line = (IXmlLineInfo)scan;
                        return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.TooCostly,
                            $"the XML nests elements deeper than {maxDepth} levels (line {line.LineNumber}, position {line.LinePosition}); refused before parsing"));
                    }
                }
            }
            // Firely reads from a reader configured here: no DTD, no resolver, so no entity can expand or reach out.
            using var reader = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), SecureSettings(body.Length));
            XmlDeserializer.TryDeserializeResource(reader, out var resource, out var issues);
            return new FhirParseResult(resource, issues.Select(ToIssue).ToList());
        }
        catch (XmlException ex)
        {
            var where = ex.LineNumber > 0 ? $" (line {ex.LineNumber}, position {ex.LinePosition})" : "";
            return ContainsDtd(body.Span)
                ? FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Security,
                    $"XML with a document type declaration (DTD) or entity declarations is refused{where}; FHIR XML has none"))
                : FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure, $"invalid XML: {XmlProblem(ex)}{where}"));
        }
        catch (Exception ex) when (IsParserRefusal(ex))
        {
            return FhirParseResult.Failed(FhirIssue.Error(OperationOutcome.IssueType.Structure, "the FHIR parser could not read the resource: " + ex.Message));
        }
    }

    /// <summary>Reader settings that make DTDs, entity expansion and external resources impossible.</summary>
    public static XmlReaderSettings SecureSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = Math.Max(maxCharacters, 1) * 2,
        CloseInput = true,
    };

    /// <summary>
    /// Firely reports most problems as issues but throws on some shapes (a primitive where an object belongs, a JSON
    /// property named "", an unknown XML attribute: IndexOutOfRange, NullReference and NotSupported exceptions found by
    /// fuzzing). The body is the only input to the parser, so whatever it throws is the input's fault and a 400, never a
    /// 500 — except running out of memory or being cancelled.
    /// </summary>
    private static bool IsParserRefusal(Exception ex) =>
        ex is not (OutOfMemoryException or OperationCanceledException or InsufficientExecutionStackException);

    private static long FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return offset;
    }

    private static bool ContainsDtd(ReadOnlySpan<byte> body) =>
        body.IndexOf("<!DOCTYPE"u8) >= 0 || body.IndexOf("<!ENTITY"u8) >= 0
        || body.IndexOf("<\0!\0D\0O\0C\0T\0Y\0P\0E\0"u8) >= 0 || body.IndexOf("\0<\0!\0D\0O\0C\0T\0Y\0P\0E"u8) >= 0;

    /// <summary>The reader's message without its own "Line n, position m." tail (the position is given once, in our words).</summary>
    private static string XmlProblem(XmlException ex)
    {
        var message = ex.Message;
        var cut = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string JsonProblem(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        return ex.LineNumber is { } line ? $"{message} (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})" : message;
    }

    private static FhirIssue ToIssue(CodedException exception)
    {
        if (exception is not ExtendedCodedException extended)
        {
            return FhirIssue.Error(OperationOutcome.IssueType.Invalid, exception.Message);
        }
        var where = extended.LineNumber is { } line ? $" (line {line}, position {extended.Position ?? 0})" : "";
        var severity = extended.IssueSeverity is OperationOutcome.IssueSeverity.Warning or OperationOutcome.IssueSeverity.Information
            ? OperationOutcome.IssueSeverity.Error
            : extended.IssueSeverity;
        return new FhirIssue(severity, extended.IssueType, extended.BaseErrorMessage + where, string.IsNullOrEmpty(extended.InstancePath) ? null : extended.InstancePath);
    }
}
