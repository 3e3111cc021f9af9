namespace Sinew.Hl7v2;

/// <summary>Applies one field rule to one segment.</summary>
internal static class Hl7FieldChecks
{
    public static void Check(in FieldIndex fields, string name, int occurrence, Hl7FieldRule rule, List<Hl7Issue> issues)
    {
        var field = fields.Get(rule.Field);
        var location = new Hl7Location(name, occurrence, rule.Field);
        if (rule.Component is { } component)
        {
            CheckComponent(field, name, component, location, rule, issues);
            return;
        }
        var empty = field.IsEmpty;
        switch (rule.Usage)
        {
            case Hl7Usage.Required when empty:
                issues.Add(new Hl7Issue(Hl7IssueCode.RequiredFieldMissing, Hl7Severity.Error, location, $"{name}-{rule.Field} is required but empty."));
                return;
            case Hl7Usage.RequiredOrEmpty when empty:
                issues.Add(new Hl7Issue(Hl7IssueCode.RequiredFieldMissing, Hl7Severity.Warning, location, $"{name}-{rule.Field} should be valued when known but is empty."));
                return;
            case Hl7Usage.NotSupported when !empty:
                issues.Add(new Hl7Issue(Hl7IssueCode.NotSupportedFieldValued, Hl7Severity.Warning, location, $"{name}-{rule.Field} is not supported by the profile but is valued."));
                return;
        }
        if (empty || field.Value.IsNull)
        {
            return;
        }
        var repetitions = field.RepetitionCount;
        if (rule.MaxRepetitions is { } max && repetitions > max)
        {
            issues.Add(new Hl7Issue(Hl7IssueCode.FieldRepeatedTooOften, Hl7Severity.Error, location, $"{name}-{rule.Field} repeats {repetitions} times; at most {max} allowed."));
        }
        var isHeaderLiteral = fields.IsHeader && rule.Field <= 2;
        for (var r = 1; r <= repetitions; r++)
        {
            var repetition = field.Repetition(r);
            var at = location with { Repetition = r };
            if (rule.MaxLength is { } maxLength && repetition.Raw.Length > maxLength)
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.ValueTooLong, Hl7Severity.Error, at, $"{name}-{rule.Field} is {repetition.Raw.Length} bytes; at most {maxLength} allowed."));
            }
            if (isHeaderLiteral || repetition.IsEmpty)
            {
                continue;
            }
            var first = repetition.Component(1).Raw.Span;
            if (rule.DataType is { } type && !Hl7DataTypes.IsValid(type, repetition.Raw.Span, first, repetition.Delimiters.Component))
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.DataTypeError, Hl7Severity.Error, at, $"{name}-{rule.Field} is not a valid {type}."));
            }
            if (rule.Table.Count > 0 && !InTable(rule.Table, first))
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.TableValueNotFound, Hl7Severity.Error, at with { Component = 1 }, $"{name}-{rule.Field} holds a code that is not in the profile's table."));
            }
        }
    }

    private static void CheckComponent(Field field, string name, int component, Hl7Location location, Hl7FieldRule rule, List<Hl7Issue> issues)
    {
        for (var r = 1; r <= field.RepetitionCount; r++)
        {
            var repetition = field.Repetition(r);
            if (repetition.IsEmpty)
            {
                continue;
            }
            var value = repetition.Component(component).Raw.Span;
            var at = location with { Repetition = r, Component = component };
            if (value.IsEmpty)
            {
                if (rule.Usage == Hl7Usage.Required)
                {
                    issues.Add(new Hl7Issue(Hl7IssueCode.RequiredFieldMissing, Hl7Severity.Error, at, $"{name}-{rule.Field}.{component} is required but empty."));
                }
                continue;
            }
            if (rule.DataType is { } type && !Hl7DataTypes.IsValid(type, value, value))
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.DataTypeError, Hl7Severity.Error, at, $"{name}-{rule.Field}.{component} is not a valid {type}."));
            }
            if (rule.Table.Count > 0 && !InTable(rule.Table, value))
            {
                issues.Add(new Hl7Issue(Hl7IssueCode.TableValueNotFound, Hl7Severity.Error, at, $"{name}-{rule.Field}.{component} holds a code that is not in the profile's table."));
            }
        }
    }

    private static bool InTable(IReadOnlyList<string> table, ReadOnlySpan<byte> code)
    {
        Span<char> chars = stackalloc char[Math.Min(code.Length, 64)];
        if (code.Length > chars.Length)
        {
            return false;
        }
        for (var i = 0; i < code.Length; i++)
        {
            chars[i] = (char)code[i];
        }
        for (var i = 0; i < table.Count; i++)
        {
            if (chars.SequenceEqual(table[i]))
            {
                return true;
            }
        }
        return false;
    }
}
