namespace Sinew.X12;

/// <summary>Checks the elements of one segment against its definition: requirement, count, length, data type and code list.</summary>
internal static class X12ElementChecker
{
    public static void Check(X12Segment segment, X12SegmentDefinition definition, int position, string loopId, IX12ErrorSink sink)
    {
        var d = segment.Delimiters;
        var elements = definition.ElementArray;
        var bytes = segment.Bytes;
        var first = bytes.IndexOf(d.Element);
        var index = 0;
        if (first >= 0)
        {
            // One scalar pass finds element boundaries and notes control characters and repetitions per element,
            // cheaper than a vectorized search per short element.
            var start = first + 1;
            var flags = Scan.None;
            for (var i = start; ; i++)
            {
                var atEnd = i == bytes.Length;
                var b = atEnd ? (byte)0 : bytes[i];
                if (atEnd || b == d.Element)
                {
                    index++;
                    var value = bytes[start..i];
                    if (index > elements.Length)
                    {
                        if (!value.IsEmpty || !atEnd)
                        {
                            sink.ElementError(segment, position, loopId, index, 0, 0, "3", X12IssueCodes.ElementTooMany, $"more than {elements.Length} elements", value);
                            return;
                        }
                    }
                    else
                    {
                        CheckValue(segment, elements[index - 1], value, position, loopId, index, flags, sink);
                    }
                    if (atEnd)
                    {
                        break;
                    }
                    start = i + 1;
                    flags = Scan.None;
                }
                else if (b < 0x20)
                {
                    flags |= Scan.ControlCharacters;
                }
                else if (b == d.Repetition)
                {
                    flags |= Scan.Repetitions;
                }
            }
        }
        for (var i = index; i < elements.Length; i++)
        {
            if (elements[i].IsMandatory)
            {
                sink.ElementError(segment, position, loopId, i + 1, 0, elements[i].ReferenceNumber, "1", X12IssueCodes.ElementMissing, $"mandatory element {elements[i].Reference} is missing", default);
            }
        }
    }

    private static void CheckValue(X12Segment segment, X12ElementDefinition definition, ReadOnlySpan<byte> value, int position, string loopId, int index, Scan flags, IX12ErrorSink sink)
    {
        var reference = definition.ReferenceNumber;
        if (value.IsEmpty)
        {
            if (definition.IsMandatory)
            {
                sink.ElementError(segment, position, loopId, index, 0, reference, "1", X12IssueCodes.ElementMissing, $"mandatory element {definition.Reference} is missing", default);
            }
            return;
        }
        if (definition.IsComposite)
        {
            return;
        }
        var repetition = segment.Delimiters.Repetition;
        if ((flags & Scan.Repetitions) != 0)
        {
            foreach (var range in value.Split(repetition))
            {
                CheckSimple(segment, definition, value[range], position, loopId, index, reference, flags, sink);
            }
            return;
        }
        CheckSimple(segment, definition, value, position, loopId, index, reference, flags, sink);
    }

    private static void CheckSimple(X12Segment segment, X12ElementDefinition definition, ReadOnlySpan<byte> value, int position, string loopId, int index, int reference, Scan flags, IX12ErrorSink sink)
    {
        var kind = definition.Kind;
        var length = value.Length;
        if (kind is X12DataKind.Numeric or X12DataKind.Decimal)
        {
            if (!IsNumber(value, allowDecimal: kind == X12DataKind.Decimal, out length))
            {
                sink.ElementError(segment, position, loopId, index, 0, reference, "6", X12IssueCodes.ElementCharacter, $"'{Text(value)}' is not a valid {definition.Type} number", value);
                return;
            }
        }
        else if ((flags & Scan.ControlCharacters) != 0)
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "6", X12IssueCodes.ElementCharacter, "control characters in element", value);
            return;
        }
        if (length < definition.MinLength)
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "4", X12IssueCodes.ElementTooShort, $"'{Text(value)}' is shorter than {definition.MinLength}", value);
            return;
        }
        if (length > definition.MaxLength)
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "5", X12IssueCodes.ElementTooLong, $"'{Text(value)}' is longer than {definition.MaxLength}", value);
            return;
        }
        if (kind == X12DataKind.Date && !IsDate(value))
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "8", X12IssueCodes.ElementDate, $"'{Text(value)}' is not a date", value);
        }
        else if (kind == X12DataKind.Time && !IsTime(value))
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "9", X12IssueCodes.ElementTime, $"'{Text(value)}' is not a time", value);
        }
        else if (kind == X12DataKind.Identifier && definition.CodeBytes.Length > 0 && !IsCode(definition.CodeBytes, value))
        {
            sink.ElementError(segment, position, loopId, index, 0, reference, "7", X12IssueCodes.ElementCode, $"'{Text(value)}' is not a valid code for {definition.Reference}", value);
        }
    }

    [Flags]
    private enum Scan
    {
        None = 0,
        ControlCharacters = 1,
        Repetitions = 2,
    }

    private static bool IsCode(byte[][] codes, ReadOnlySpan<byte> value)
    {
        foreach (var code in codes)
        {
            if (value.SequenceEqual(code))
            {
                return true;
            }
        }
        return false;
    }

    internal static bool IsNumber(ReadOnlySpan<byte> value, bool allowDecimal, out int digits)
    {
        digits = 0;
        var i = value.Length > 0 && value[0] == '-' ? 1 : 0;
        var dots = 0;
        for (; i < value.Length; i++)
        {
            var b = value[i];
            if ((uint)(b - '0') <= 9)
            {
                digits++;
            }
            else if (b == '.' && allowDecimal && ++dots == 1)
            {
                continue;
            }
            else
            {
                return false;
            }
        }
        return digits > 0;
    }

    internal static bool IsDate(ReadOnlySpan<byte> value)
    {
        if ((value.Length != 6 && value.Length != 8) || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        var o = value.Length - 4;
        var month = (value[o] - '0') * 10 + value[o + 1] - '0';
        var day = (value[o + 2] - '0') * 10 + value[o + 3] - '0';
        return month is >= 1 and <= 12 && day >= 1 && day <= 31;
    }

    internal static bool IsTime(ReadOnlySpan<byte> value)
    {
        if (value.Length is < 4 or > 8 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        var hour = (value[0] - '0') * 10 + value[1] - '0';
        var minute = (value[2] - '0') * 10 + value[3] - '0';
        return hour <= 23 && minute <= 59;
    }

    private static string Text(ReadOnlySpan<byte> value) => System.Text.Encoding.Latin1.GetString(value.Length > 40 ? value[..40] : value);
}
