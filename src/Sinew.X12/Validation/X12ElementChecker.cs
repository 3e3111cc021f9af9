using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sinew.X12;

/// <summary>Checks the elements of one segment against its definition: requirement, count, length, data type and code list.</summary>
internal static class X12ElementChecker
{
    /// <summary>
    /// Checks one segment. <paramref name="first"/> is the index of its first element separator (-1 when it has none),
    /// found once by the caller. Elements are judged against the compiled <see cref="X12SegmentDefinition.Plans"/>; only a
    /// doubtful value goes through the full check, which also explains what is wrong.
    /// </summary>
    public static void Check(X12Segment segment, int first, X12SegmentDefinition definition, int position, string loopId, IX12ErrorSink sink)
    {
        var d = segment.Delimiters;
        var plans = definition.Plans;
        var bytes = segment.Bytes;
        var index = 0;
        var present = 0UL;
        if (first >= 0)
        {
            // Control characters and repetitions are rare: look for them once per segment, and per element only when present.
            var start = first + 1;
            var rest = bytes[start..];
            // Segments up to 64 bytes after the identifier (nearly all) get every separator position, and whether control
            // characters or repetitions occur, from the same few vector loads; longer ones search element by element.
            var useMask = rest.Length <= 64;
            var segmentFlags = Scan.None;
            var mask = useMask ? ScanShort(rest, d, ref segmentFlags) : 0;
            if (!useMask)
            {
                segmentFlags = (rest.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 ? Scan.ControlCharacters : Scan.None)
                    | (d.Repetition != 0 && rest.Contains(d.Repetition) ? Scan.Repetitions : Scan.None);
            }
            var from = 0;
            while (true)
            {
                int end;
                if (useMask)
                {
                    end = mask == 0 ? -1 : BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                }
                else
                {
                    var next = rest[from..].IndexOf(d.Element);
                    end = next < 0 ? -1 : from + next;
                }
                var value = end < 0 ? rest[from..] : rest[from..end];
                index++;
                if (index > plans.Length)
                {
                    if (!value.IsEmpty || end >= 0)
                    {
                        sink.ElementError(segment, position, loopId, index, 0, 0, "3", X12IssueCodes.ElementTooMany, $"more than {plans.Length} elements", value);
                        return;
                    }
                }
                else
                {
                    if (!value.IsEmpty && index < 64)
                    {
                        present |= 1UL << index;
                    }
                    ref readonly var plan = ref plans[index - 1];
                    if (value.IsEmpty ? !plan.IsMandatory : segmentFlags == Scan.None && IsPlainlyValid(in plan, value))
                    {
                        // The common case, decided inline; anything doubtful goes through the full check below.
                    }
                    else
                    {
                        var flags = segmentFlags == Scan.None ? Scan.None
                            : (value.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 ? Scan.ControlCharacters : Scan.None)
                              | (d.Repetition != 0 && value.Contains(d.Repetition) ? Scan.Repetitions : Scan.None);
                        CheckValue(segment, definition.ElementArray[index - 1], value, position, loopId, index, flags, sink);
                    }
                }
                if (end < 0)
                {
                    break;
                }
                from = end + 1;
            }
        }
        if (index < definition.LastMandatory)
        {
            var elements = definition.ElementArray;
            for (var i = index; i < elements.Length; i++)
            {
                if (elements[i].IsMandatory)
                {
                    sink.ElementError(segment, position, loopId, i + 1, 0, elements[i].ReferenceNumber, "1", X12IssueCodes.ElementMissing, $"mandatory element {elements[i].Reference} is missing", default);
                }
            }
        }
        var checks = definition.SyntaxChecks;
        for (var r = 0; r < checks.Length; r++)
        {
            if (checks[r].MayBeViolated(present))
            {
                SyntaxNote(segment, definition, definition.SyntaxRuleArray[r], present, position, loopId, sink);
            }
        }
    }

    private static void SyntaxNote(X12Segment segment, X12SegmentDefinition definition, X12SyntaxRule rule, ulong present, int position, string loopId, IX12ErrorSink sink)
    {
        var at = rule.Violation(present);
        if (at > 0)
        {
            var exclusion = rule.Kind == 'E';
            sink.ElementError(segment, position, loopId, at, 0, definition.ElementArray[at - 1].ReferenceNumber, exclusion ? "10" : "2",
                exclusion ? X12IssueCodes.ElementExclusion : X12IssueCodes.ElementConditional,
                $"syntax note {rule.Text} is not met at {definition.Id}{at:00}", exclusion ? segment.GetElement(at) : default);
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

    // Bit i set when value[i] is the element separator (value at most 64 bytes); notes control characters and repetitions.
    private static ulong ScanShort(ReadOnlySpan<byte> value, X12Delimiters d, ref Scan flags)
    {
        var mask = 0UL;
        if (Vector256.IsHardwareAccelerated && value.Length >= 32)
        {
            // Two loads at most (the second overlaps the first when the value is shorter than 64 bytes).
            ref var start = ref MemoryMarshal.GetReference(value);
            var separator = Vector256.Create(d.Element);
            var repetition = Vector256.Create(d.Repetition == 0 ? d.Element : d.Repetition);
            var space = Vector256.Create((byte)0x20);
            var odd = Vector256<byte>.Zero;
            for (var i = 0; ; i += 32)
            {
                var at = Math.Min(i, value.Length - 32);
                var chunk = Vector256.LoadUnsafe(ref start, (nuint)at);
                mask |= (ulong)Vector256.Equals(chunk, separator).ExtractMostSignificantBits() << at;
                odd |= Vector256.LessThan(chunk, space);
                if (d.Repetition != 0)
                {
                    odd |= Vector256.Equals(chunk, repetition);
                }
                if (at + 32 >= value.Length)
                {
                    break;
                }
            }
            if (odd != Vector256<byte>.Zero)
            {
                flags = (value.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 ? Scan.ControlCharacters : Scan.None)
                    | (d.Repetition != 0 && value.Contains(d.Repetition) ? Scan.Repetitions : Scan.None);
            }
            return mask;
        }
        if (Vector128.IsHardwareAccelerated && value.Length >= 16)
        {
            ref var start = ref MemoryMarshal.GetReference(value);
            var separator = Vector128.Create(d.Element);
            var repetition = Vector128.Create(d.Repetition == 0 ? d.Element : d.Repetition);
            var space = Vector128.Create((byte)0x20);
            var odd = Vector128<byte>.Zero;
            for (var i = 0; ; i += 16)
            {
                var at = Math.Min(i, value.Length - 16);
                var chunk = Vector128.LoadUnsafe(ref start, (nuint)at);
                mask |= (ulong)Vector128.Equals(chunk, separator).ExtractMostSignificantBits() << at;
                odd |= Vector128.LessThan(chunk, space);
                if (d.Repetition != 0)
                {
                    odd |= Vector128.Equals(chunk, repetition);
                }
                if (at + 16 >= value.Length)
                {
                    break;
                }
            }
            if (odd != Vector128<byte>.Zero)
            {
                flags = (value.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 ? Scan.ControlCharacters : Scan.None)
                    | (d.Repetition != 0 && value.Contains(d.Repetition) ? Scan.Repetitions : Scan.None);
            }
            return mask;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == d.Element)
            {
                mask |= 1UL << i;
            }
            else if (b < 0x20)
            {
                flags |= Scan.ControlCharacters;
            }
            else if (b == d.Repetition && d.Repetition != 0)
            {
                flags |= Scan.Repetitions;
            }
        }
        return mask;
    }

    // True only when the value is certainly valid; false sends it to the full check, which also explains what is wrong.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainlyValid(in X12ElementPlan plan, ReadOnlySpan<byte> value)
    {
        var length = value.Length;
        switch (plan.Kind)
        {
            case X12DataKind.Text:
                return length >= plan.MinLength && length <= plan.MaxLength;
            case X12DataKind.Identifier:
                return length >= plan.MinLength && length <= plan.MaxLength && (!plan.HasCodes || IsPackedCode(plan.PackedCodes, value));
            case X12DataKind.Numeric:
                return length >= plan.MinLength && length <= plan.MaxLength && CountDigits(value, allowDot: false) == length;
            case X12DataKind.Decimal:
                var digits = CountDigits(value, allowDot: true);
                return digits >= plan.MinLength && digits <= plan.MaxLength && digits > 0;
            case X12DataKind.Date:
                return length >= plan.MinLength && length <= plan.MaxLength && IsDate(value);
            case X12DataKind.Time:
                return length >= plan.MinLength && length <= plan.MaxLength && IsTime(value);
            case X12DataKind.Composite:
                // Components are not type-checked: a present composite is always accepted.
                return true;
            default:
                return false;
        }
    }

    // A code list of short codes, compared as packed numbers; a list with a long code (null) is left to the full check.
    private static bool IsPackedCode(ulong[]? codes, ReadOnlySpan<byte> value)
    {
        if (codes is null || value.Length > X12ElementPlan.MaxPackedLength)
        {
            return false;
        }
        var packed = X12ElementPlan.Pack(value);
        foreach (var code in codes)
        {
            if (code == packed)
            {
                return true;
            }
        }
        return false;
    }

    // Digits in a short value, or -1 when anything else is there (one '.' allowed when asked); a scalar loop beats a vector call here.
    private static int CountDigits(ReadOnlySpan<byte> value, bool allowDot)
    {
        var digits = 0;
        var dots = 0;
        foreach (var b in value)
        {
            if ((uint)(b - '0') <= 9)
            {
                digits++;
            }
            else if (b == '.' && allowDot && dots++ == 0)
            {
                continue;
            }
            else
            {
                return -1;
            }
        }
        return digits;
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
        if ((value.Length != 6 && value.Length != 8) || CountDigits(value, allowDot: false) != value.Length)
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
