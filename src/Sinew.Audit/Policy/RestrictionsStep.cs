using System.Text.Json;
using Sinew.Canonical;
using Sinew.Core.Audit;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Hl7v2;

namespace Sinew.Audit.Policy;

/// <summary>
/// The consent hook (<c>type: restrictions</c>): a message of a patient on the restriction list (a CSV with a
/// <c>patientId</c> column of identifiers or their tokens) is filtered out of this flow, or blocked into the exception
/// queue. The identifier is read by an HL7 v2 path (<c>PID-3.1</c>) or a canonical field name (<c>patientId</c>); it is
/// never written to logs, reasons or the audit log, which record only the message id and the list's file name.
/// </summary>
public sealed class RestrictionsStep : IPipelineStep
{
    private readonly string _file;
    private readonly Hl7Path? _path;
    private readonly string? _field;
    private readonly bool _block;
    private readonly DataProtection _protection;
    private readonly Lock _lock = new();
    private (DateTime Stamp, HashSet<string> Entries) _list = (DateTime.MinValue, []);

    private RestrictionsStep(string file, Hl7Path? path, string? field, bool block, DataProtection protection)
    {
        _file = file;
        _path = path;
        _field = field;
        _block = block;
        _protection = protection;
    }

    public static IPipelineStep? Create(ConfigSection settings, ConnectorContext context, DataProtection protection)
    {
        var file = settings.GetString("file", required: true);
        var key = settings.GetString("key", required: true);
        var block = settings.GetChoice("action", "filter", "filter", "block") == "block";
        if (file is null || key is null)
        {
            return null;
        }
        var path = Path.GetFullPath(file, settings.BaseDirectory);
        if (!File.Exists(path))
        {
            settings.Error("file", $"the restriction list '{path}' does not exist (a CSV with a patientId column)");
            return null;
        }
        if (Hl7Path.TryParse(key, out var hl7Path))
        {
            return new RestrictionsStep(path, hl7Path, null, block, protection);
        }
        if (!ConfigLoader.IsValidName(key))
        {
            settings.Error("key", $"'{key}' is neither an HL7 v2 path (PID-3.1) nor a canonical field name (patientId)");
            return null;
        }
        return new RestrictionsStep(path, null, key, block, protection);
    }

    /// <inheritdoc />
    public async ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var identifiers = Identifiers(context);
        if (identifiers.Count == 0)
        {
            return StepResult.Continue;
        }
        var list = Load();
        var restricted = false;
        foreach (var id in identifiers)
        {
            restricted |= list.Contains(id) || (_protection.Tokenization?.Tokenizer is { } tokenizer && tokenizer.Versions.Any(v => list.Contains(tokenizer.Tokenize(id, v))));
        }
        if (!restricted)
        {
            return StepResult.Continue;
        }
        var reason = $"patient restricted from this flow by {Path.GetFileName(_file)}";
        await _protection.Audit.WriteAsync(new AuditRecord
        {
            Action = "policy.restrict",
            Actor = "sinew",
            Target = $"message/{context.Message.Id}",
            Outcome = _block ? "denied" : "success",
            Reason = $"channel {context.Channel}: {reason} ({(_block ? "blocked" : "filtered")})",
        }, cancellationToken);
        return _block ? StepResult.Fail(reason) : StepResult.Filter(reason);
    }

    private List<string> Identifiers(PipelineContext context)
    {
        var ids = new List<string>();
        if (_path is { } path)
        {
            if (Hl7Message.Parse(context.Body).Message is { } message && message.Get(path) is { IsEmpty: false } value)
            {
                ids.Add(value.ToString());
            }
            return ids;
        }
        if (!CanonicalJson.IsCanonical(context.ContentType) && !context.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return ids;
        }
        try
        {
            using var document = JsonDocument.Parse(context.Body);
            var records = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            foreach (var record in records)
            {
                if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty(_field!, out var field) && field.ValueKind == JsonValueKind.String)
                {
                    ids.Add(field.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the step has nothing to match; the validate step is where bad JSON is refused.
        }
        return ids;
    }

    /// <summary>The list, read again whenever the file changes, so an opt-out takes effect without a restart.</summary>
    private HashSet<string> Load()
    {
        var stamp = File.GetLastWriteTimeUtc(_file);
        lock (_lock)
        {
            if (stamp == _list.Stamp)
            {
                return _list.Entries;
            }
            var lines = File.ReadAllLines(_file);
            var entries = new HashSet<string>(StringComparer.Ordinal);
            var column = lines.Length == 0 ? -1 : Array.FindIndex(lines[0].Split(','), h => h.Trim().Trim('"').Equals("patientId", StringComparison.OrdinalIgnoreCase));
            foreach (var line in lines.Skip(column >= 0 ? 1 : 0))
            {
                var cells = line.Split(',');
                var index = Math.Max(column, 0);
                if (index < cells.Length && cells[index].Trim().Trim('"') is { Length: > 0 } id)
                {
                    entries.Add(id);
                }
            }
            _list = (stamp, entries);
            return entries;
        }
    }
}
