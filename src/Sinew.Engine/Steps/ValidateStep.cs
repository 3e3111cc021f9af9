using System.Text;
using System.Text.Json;
using System.Xml;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;

namespace Sinew.Engine.Steps;

/// <summary>
/// Checks the message is what the channel expects: not empty, under a size, and well-formed as
/// <c>text</c> (UTF-8), <c>json</c> (depth-limited) or <c>xml</c> (no DTDs, no external entities).
/// </summary>
public sealed class ValidateStep(string format, long maxBytes) : IPipelineStep
{
    private const int MaxJsonDepth = 64;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context) =>
        new ValidateStep(
            settings.GetChoice("format", "any", "any", "text", "json", "xml"),
            settings.GetSize("maxBytes", long.MaxValue));

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var body = context.Body.Span;
        if (body.IsEmpty)
        {
            return Fail("the message is empty");
        }
        if (body.Length > maxBytes)
        {
            return Fail($"the message is {body.Length} bytes, over the limit of {maxBytes}");
        }
        switch (format)
        {
            case "text":
                return Utf8Offset(body) is { } offset ? Fail($"invalid UTF-8 at byte {offset}") : ValueTask.FromResult(StepResult.Continue);
            case "json":
                return CheckJson(body);
            case "xml":
                return CheckXml(context.Body);
            default:
                return ValueTask.FromResult(StepResult.Continue);
        }
    }

    private static ValueTask<StepResult> Fail(string reason) => ValueTask.FromResult(StepResult.Fail(reason));

    /// <summary>The offset of the first byte that is not valid UTF-8, or null.</summary>
    public static int? Utf8Offset(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }
        try
        {
            s_strictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException ex)
        {
            return ex.Index < 0 ? 0 : ex.Index;
        }
        return 0;
    }

    private static ValueTask<StepResult> CheckJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        try
        {
            while (reader.Read())
            {
            }
            return ValueTask.FromResult(StepResult.Continue);
        }
        catch (JsonException ex)
        {
            return Fail($"not well-formed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}");
        }
    }

    private static ValueTask<StepResult> CheckXml(ReadOnlyMemory<byte> body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 256L * 1024 * 1024 };
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
            }
            return ValueTask.FromResult(StepResult.Continue);
        }
        catch (XmlException ex)
        {
            return Fail($"not well-formed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}");
        }
    }
}
