namespace Sinew.Hl7v2;

/// <summary>
/// A view of one value (field, repetition, component or sub-component) over the message bytes; reading it allocates nothing,
/// decoding it to text (<see cref="ToString"/>) allocates the string.
/// </summary>
public readonly struct Hl7Value
{
    internal Hl7Value(ReadOnlyMemory<byte> raw, Hl7Delimiters delimiters, Hl7TextEncoding encoding, bool exists)
    {
        Raw = raw;
        Delimiters = delimiters;
        Encoding = encoding;
        Exists = exists;
    }

    /// <summary>The escaped bytes exactly as in the message.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The escaped bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => Raw.Span;

    /// <summary>The delimiters of the message the value belongs to.</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>The character set used to decode text.</summary>
    public Hl7TextEncoding Encoding { get; }

    /// <summary>True when the position exists in the message (it may still be empty).</summary>
    public bool Exists { get; }

    /// <summary>True when the value has no bytes (absent or empty).</summary>
    public bool IsEmpty => Raw.IsEmpty;

    /// <summary>True when the value is the HL7 explicit null <c>""</c>, meaning "delete the stored value".</summary>
    public bool IsNull => Raw.Span.SequenceEqual("\"\""u8);

    /// <summary>True when the raw bytes equal <paramref name="expected"/> (no decoding).</summary>
    public bool ValueEquals(ReadOnlySpan<byte> expected) => Raw.Span.SequenceEqual(expected);

    /// <summary>Reads the value as an HL7 NM (decimal number).</summary>
    public bool TryGetDecimal(out decimal value) => Hl7Numbers.TryParseDecimal(Raw.Span, out value);

    /// <summary>Reads the value as an HL7 SI or integer NM.</summary>
    public bool TryGetInt64(out long value) => Hl7Numbers.TryParseInt64(Raw.Span, out value);

    /// <summary>Reads the value (or its first component) as a TS/DTM date-time with precision and offset.</summary>
    public bool TryGetTimestamp(out Hl7Timestamp value)
    {
        var span = Raw.Span;
        var cut = Delimiters.Component == 0 ? -1 : span.IndexOf(Delimiters.Component);
        return Hl7Timestamp.TryParse(cut < 0 ? span : span[..cut], out value);
    }

    /// <summary>The decoded text, with escape sequences resolved; empty when absent.</summary>
    public override string ToString() => Raw.IsEmpty ? string.Empty : Hl7Escaping.Decode(Raw.Span, Delimiters, Encoding);
}
