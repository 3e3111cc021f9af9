namespace Sinew.X12;

/// <summary>
/// An element definition compiled for the validation hot path: a small struct in an array per segment, so checking an
/// element reads one cache line instead of following a record and its lists. Code lists of short codes are packed into
/// integers (bytes and length), so a code is matched by comparing numbers.
/// </summary>
internal readonly struct X12ElementPlan
{
    public X12ElementPlan(X12ElementDefinition definition)
    {
        Kind = definition.Kind;
        IsMandatory = definition.IsMandatory;
        MinLength = definition.MinLength;
        MaxLength = definition.MaxLength;
        var codes = definition.CodeBytes;
        if (codes.Length > 0)
        {
            HasCodes = true;
            // Codes longer than 7 bytes cannot be packed: such lists are left to the full check.
            PackedCodes = codes.All(c => c.Length <= MaxPackedLength) ? [.. codes.Select(c => Pack(c))] : null;
        }
    }

    /// <summary>The longest code or value <see cref="Pack"/> accepts: seven bytes, the eighth holds the length.</summary>
    public const int MaxPackedLength = 7;

    public X12DataKind Kind { get; }

    public bool IsMandatory { get; }

    public int MinLength { get; }

    public int MaxLength { get; }

    /// <summary>True when the element has a code list.</summary>
    public bool HasCodes { get; }

    /// <summary>The codes packed by <see cref="Pack"/>; null when there is no list or a code is too long to pack.</summary>
    public ulong[]? PackedCodes { get; }

    /// <summary>A value of at most seven bytes as one number: its bytes, little-endian, and its length in the top byte.</summary>
    public static ulong Pack(ReadOnlySpan<byte> value)
    {
        var packed = (ulong)value.Length << 56;
        for (var i = 0; i < value.Length; i++)
        {
            packed |= (ulong)value[i] << (8 * i);
        }
        return packed;
    }
}
