using System.Buffers;
using Sinew.Canonical;
using Sinew.Core.Audit;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Hl7v2;

namespace Sinew.Audit.Policy;

/// <summary>
/// The PHI policy step (<c>type: deidentify</c>, and the protection of a destination with <c>phiAction: tokenize|block</c>
/// or a <c>deidentify:</c> profile): on canonical records it drops, tokenizes or blocks the fields above
/// <c>maxSensitivity</c>; on raw HL7 v2 it empties the <c>drop</c> paths and tokenizes the <c>tokenize</c> paths; on FHIR
/// resources (JSON or XML, told apart from HL7 v2 by content) it applies the FHIRPath entries (<see cref="FhirProfile"/>). A block
/// is audited (<c>policy.block</c>) with field names only, and fails the step so the delivery goes to the exception queue.
/// </summary>
public sealed class ProtectionStep : IPipelineStep
{
    private readonly Sensitivity? _highest;
    private readonly PhiAction _action;
    private readonly IReadOnlyList<Hl7Path> _drop;
    private readonly IReadOnlyList<Hl7Path> _tokenize;
    private readonly FhirProfile _fhir;
    private readonly DataProtection _protection;

    private ProtectionStep(Sensitivity? highest, PhiAction action, IReadOnlyList<Hl7Path> drop, IReadOnlyList<Hl7Path> tokenize, FhirProfile fhir, DataProtection protection)
    {
        _fhir = fhir;
        _highest = highest;
        _action = action;
        _drop = drop;
        _tokenize = tokenize;
        _protection = protection;
    }

    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context, DataProtection protection)
    {
        Sensitivity? highest = SensitivityPolicy.TryParse(settings.GetString("maxSensitivity"), out var level) ? level : null;
        var action = settings.GetString("phiAction") switch
        {
            "tokenize" => PhiAction.Tokenize,
            "block" => PhiAction.Block,
            _ => PhiAction.Drop,
        };
        var profile = settings.GetSection("deidentify") ?? (settings.Has("drop") || settings.Has("tokenize") ? settings : null);
        var (drop, fhirDrop) = Paths(profile, "drop");
        var (tokenize, fhirTokenize) = Paths(profile, "tokenize");
        if (profile is not null && !ReferenceEquals(profile, settings))
        {
            profile.ReportUnknown();
        }
        if ((action == PhiAction.Tokenize || tokenize.Count > 0 || fhirTokenize.Count > 0) && protection.Tokenization is null)
        {
            settings.Error(action == PhiAction.Tokenize ? "phiAction" : "deidentify", "tokenizing needs keys: add tokenization: { keys: [ { version: 1, key: file:… } ], active: 1 } to sinew.yaml");
        }
        if (protection.Tokenization is { Vault: true } && protection.Encryption is null)
        {
            settings.Error(action == PhiAction.Tokenize ? "phiAction" : "deidentify", "the token vault stores values encrypted: add the encryption: section to sinew.yaml");
        }
        return new ProtectionStep(highest, action, drop, tokenize, new FhirProfile(fhirDrop, fhirTokenize), protection);
    }

    /// <summary>The entries of a profile list: HL7 v2 paths (<c>PID-3.1</c>) and FHIRPath expressions (<c>Patient.name</c>).</summary>
    private static (List<Hl7Path> Hl7, List<string> Fhir) Paths(ConfigSection? section, string key)
    {
        var paths = new List<Hl7Path>();
        var expressions = new List<string>();
        if (section is null)
        {
            return (paths, expressions);
        }
        foreach (var text in section.GetStringList(key))
        {
            if (Hl7Path.TryParse(text, out var path))
            {
                paths.Add(path);
            }
            else if (FhirProfile.TryCompile(text, out var problem))
            {
                expressions.Add(text);
            }
            else
            {
                section.Error(key, $"'{text}' is neither an HL7 v2 path such as PID-3.1 nor a FHIRPath expression such as Patient.name ({problem})");
            }
        }
        return (paths, expressions);
    }

    /// <inheritdoc />
    public async ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var destination = context.Properties.TryGetValue(ChannelRuntime.ProtectionDestinationProperty, out var name) ? name as string : null;
        var hl7 = LooksLikeHl7(context);
        if (_highest is { } highest && CanonicalJson.IsCanonical(context.ContentType))
        {
            var outcome = SensitivityPolicy.Apply(context.Body.Span, highest, _action, _action == PhiAction.Tokenize ? _protection.Tokenizer : null);
            if (outcome.Blocked)
            {
                var reason = outcome.BlockReason(destination ?? context.Channel, highest);
                await _protection.Audit.WriteAsync(new AuditRecord
                {
                    Action = "policy.block",
                    Actor = "sinew",
                    Target = $"message/{context.Message.Id}",
                    Outcome = "denied",
                    Reason = $"channel {context.Channel}: {reason}",
                }, cancellationToken);
                return StepResult.Fail(reason);
            }
            context.Body = outcome.Payload;
        }
        else if (!_fhir.IsEmpty && !hl7)
        {
            if (FhirProfile.Detect(context.ContentType, context.Body.Span) is not { } format)
            {
                // The profile names FHIR elements but cannot find them in this content, so it must not leave.
                return StepResult.Fail($"not sent to {destination ?? context.Channel}: the message is neither HL7 v2 nor a FHIR resource, so the de-identification profile cannot apply");
            }
            var result = _fhir.Apply(context.Body, format, _protection.Tokenizer);
            if (result.Body is not { } body)
            {
                return StepResult.Fail($"not sent to {destination ?? context.Channel}: {result.Problem}");
            }
            context.Body = body;
        }
        else if (HasHl7Paths && hl7)
        {
            if (!TryApplyHl7(context))
            {
                return StepResult.Fail($"not sent to {destination ?? context.Channel}: the HL7 v2 message cannot be parsed, so the de-identification profile cannot apply");
            }
        }
        else if (HasProfile && !CanonicalJson.IsCanonical(context.ContentType))
        {
            // A profile is what lets raw content go below its class; content it has no entries for (an HL7-only profile
            // meeting JSON or CSV, a FHIRPath-only profile meeting HL7 v2) would leave unchanged, so it must not leave.
            var kind = hl7 ? "an HL7 v2 message" : "content that is neither HL7 v2 nor a FHIR resource";
            var has = _fhir.IsEmpty ? "HL7 v2 paths" : "FHIRPath entries";
            return StepResult.Fail($"not sent to {destination ?? context.Channel}: the de-identification profile has only {has}, which cannot apply to {kind}");
        }
        return StepResult.Continue;
    }

    private bool HasHl7Paths => _drop.Count > 0 || _tokenize.Count > 0;

    private bool HasProfile => HasHl7Paths || !_fhir.IsEmpty;

    /// <summary>Empties the drop paths and tokenizes the tokenize paths; false when the message does not parse.</summary>
    private bool TryApplyHl7(PipelineContext context)
    {
        var parsed = Hl7Message.Parse(context.Body);
        if (parsed.Message is not { } message)
        {
            // Unparseable content cannot be de-identified, so it must not leave.
            return false;
        }
        foreach (var path in _drop)
        {
            if (!message.Get(path).IsEmpty)
            {
                message.Set(path, null);
            }
        }
        if (_tokenize.Count > 0)
        {
            var tokenizer = _protection.Tokenizer ?? throw new InvalidOperationException("tokenization keys are not loaded");
            foreach (var path in _tokenize)
            {
                var value = message.Get(path);
                if (!value.IsEmpty)
                {
                    message.Set(path, tokenizer.Tokenize(value.ToString()));
                }
            }
        }
        var buffer = new ArrayBufferWriter<byte>(context.Body.Length + 64);
        message.WriteTo(buffer);
        context.Body = buffer.WrittenMemory.ToArray();
        return true;
    }

    private static bool LooksLikeHl7(PipelineContext context) =>
        context.ContentType.Contains("hl7-v2", StringComparison.OrdinalIgnoreCase) || context.Body.Span.StartsWith("MSH"u8);
}
