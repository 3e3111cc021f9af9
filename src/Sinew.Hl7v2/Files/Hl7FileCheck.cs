namespace Sinew.Hl7v2;

/// <summary>
/// Checks and round-trips whole files of HL7 v2 (single messages, several messages, FHS/BHS batches) one message at a time,
/// so memory stays bounded whatever the file size. Used by <c>sinew check</c> and <c>sinew roundtrip</c>.
/// </summary>
public static class Hl7FileCheck
{
    /// <summary>Parses and validates every message, writing one line per issue (never message content) and a summary line.</summary>
    public static Hl7FileReport Check(Stream input, string name, Hl7ProfileSet profiles, TextWriter output)
    {
        using var reader = new Hl7BatchReader(input);
        var envelope = new Hl7Envelope();
        int messages = 0, errors = 0, warnings = 0;
        long bytes = 0;
        while (reader.Read() is { } item)
        {
            bytes += item.Bytes.Length;
            envelope.Add(item);
            if (item.Kind != Hl7BatchItemKind.Message)
            {
                continue;
            }
            messages++;
            var result = item.Parse();
            var label = $"{name}: message {messages} at byte {item.Offset}";
            Report(label, result.Issues, output, ref errors, ref warnings);
            if (result.Message is { } message)
            {
                Report($"{label} ({message.MessageType})", Hl7Validator.Validate(message, profiles), output, ref errors, ref warnings);
            }
        }
        Report($"{name}: envelope", envelope.Complete(), output, ref errors, ref warnings);
        if (messages == 0)
        {
            errors++;
            output.WriteLine($"{name}: Error {(int)Hl7IssueCode.EmptyMessage} EmptyMessage: no HL7 v2 message in the file.");
        }
        output.WriteLine($"{name}: HL7 v2, {messages} messages, {errors} errors, {warnings} warnings — {(errors > 0 ? "INVALID" : "valid")}");
        return new Hl7FileReport(messages, errors, warnings, bytes, null);
    }

    /// <summary>Parses and re-serializes every message and compares with the input bytes; reports the first differing offset.</summary>
    public static Hl7FileReport Roundtrip(Stream input, string name, TextWriter output)
    {
        using var reader = new Hl7BatchReader(input);
        var messages = 0;
        long bytes = 0;
        long? difference = null;
        while (reader.Read() is { } item)
        {
            if (item.Offset != bytes && difference is null)
            {
                difference = bytes;
            }
            bytes += item.Bytes.Length;
            if (item.Kind != Hl7BatchItemKind.Message || difference is not null)
            {
                continue;
            }
            messages++;
            var written = item.Parse().Message?.ToArray() ?? item.Bytes.ToArray();
            var common = item.Bytes.Span.CommonPrefixLength(written);
            if (common != written.Length || common != item.Bytes.Length)
            {
                difference = item.Offset + common;
            }
        }
        if (difference is null && input.CanSeek && bytes != input.Length)
        {
            difference = bytes;
        }
        output.WriteLine(difference is { } at
            ? $"{name}: HL7 v2 — re-serialized bytes differ from byte {at}"
            : $"{name}: HL7 v2, {messages} messages, {bytes} bytes — identical");
        return new Hl7FileReport(messages, 0, 0, bytes, difference);
    }

    private static void Report(string label, IReadOnlyList<Hl7Issue> issues, TextWriter output, ref int errors, ref int warnings)
    {
        foreach (var issue in issues)
        {
            if (issue.Severity == Hl7Severity.Error)
            {
                errors++;
            }
            else if (issue.Severity == Hl7Severity.Warning)
            {
                warnings++;
            }
            else
            {
                continue;
            }
            output.WriteLine($"{label}: {issue}");
        }
    }
}
