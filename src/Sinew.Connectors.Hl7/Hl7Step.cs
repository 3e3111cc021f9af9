using System.Security.Cryptography;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Hl7v2;

namespace Sinew.Connectors.Hl7;

/// <summary>
/// The <c>hl7</c> step: parses the message (failing it with the parser's issues when it is not HL7 v2), optionally
/// validates it against profiles, and can take the partition key from an HL7 path. The key is stored as a hash, so a
/// patient identifier used for ordering never lands in the queues in clear.
/// </summary>
public sealed class Hl7Step(Hl7ProfileSet? profiles, Hl7Path? partitionPath, IReadOnlyList<string> messageTypes) : IPipelineStep
{
    public const string ParsedProperty = "hl7.message";

    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context)
    {
        var validate = settings.GetBool("validate", false);
        var profiles = validate ? Hl7Settings.ReadProfiles(settings) : null;
        Hl7Path? partition = null;
        if (settings.GetString("partitionKey") is { } pathText)
        {
            if (Hl7Path.TryParse(pathText, out var path))
            {
                partition = path;
            }
            else
            {
                settings.Error("partitionKey", $"'{pathText}' is not an HL7 path such as PID-3.1");
            }
        }
        var types = settings.GetStringList("messageTypes");
        return validate && profiles is null ? null : new Hl7Step(profiles, partition, types);
    }

    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var parsed = Hl7Message.Parse(context.Body);
        if (parsed.Message is not { } message)
        {
            return ValueTask.FromResult(StepResult.Fail("not HL7 v2: " + Hl7Settings.Summarize(parsed.Issues)));
        }
        if (messageTypes.Count > 0 && !messageTypes.Any(t => message.MessageType.StartsWith(t, StringComparison.Ordinal)))
        {
            return ValueTask.FromResult(StepResult.Filter($"message type {message.MessageType} is not one of {string.Join(", ", messageTypes)}"));
        }
        if (profiles is not null)
        {
            var issues = Hl7Validator.Validate(message, profiles);
            if (issues.Any(i => i.Severity >= Hl7Severity.Error))
            {
                return ValueTask.FromResult(StepResult.Fail("invalid: " + Hl7Settings.Summarize(issues)));
            }
        }
        if (partitionPath is { } path && message.Get(path) is { IsEmpty: false } value)
        {
            context.PartitionKey = "h:" + Convert.ToHexStringLower(SHA256.HashData(value.Span))[..24];
        }
        context.Properties[ParsedProperty] = message;
        context.ContentType = MllpSource.ContentType;
        return ValueTask.FromResult(StepResult.Continue);
    }
}
