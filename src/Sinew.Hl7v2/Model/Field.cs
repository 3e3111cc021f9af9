namespace Sinew.Hl7v2;

/// <summary>A field of a segment (all repetitions) or one repetition of it, viewed over the message bytes.</summary>
public readonly struct Field
{
    private readonly Hl7TextEncoding encoding;
    private readonly bool literal;

    internal Field(ReadOnlyMemory<byte> raw, Hl7Delimiters delimiters, Hl7TextEncoding encoding, bool exists, bool literal)
    {
        Raw = raw;
        Delimiters = delimiters;
        this.encoding = encoding;
        Exists = exists;
        this.literal = literal;
    }

    /// <summary>The escaped bytes exactly as in the message.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The delimiters of the message.</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>True when the field exists in the segment (it may still be empty).</summary>
    public bool Exists { get; }

    /// <summary>True when the field has no bytes.</summary>
    public bool IsEmpty => Raw.IsEmpty;

    /// <summary>Number of repetitions (0 when empty).</summary>
    public int RepetitionCount => literal ? (Raw.IsEmpty ? 0 : 1) : Pieces.Count(Raw.Span, Delimiters.Repetition);

    /// <summary>Number of components of the first repetition (0 when empty).</summary>
    public int ComponentCount => Repetition(1).ComponentCountOfThis();

    /// <summary>The value view of the whole field.</summary>
    public Hl7Value Value => new(Raw, Delimiters, encoding, Exists);

    /// <summary>Repetition <paramref name="position"/> (1-based); empty when absent.</summary>
    public Field Repetition(int position)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        if (literal)
        {
            return position == 1 ? this : new Field(ReadOnlyMemory<byte>.Empty, Delimiters, encoding, false, true);
        }
        var found = Pieces.TryFind(Raw.Span, Delimiters.Repetition, position - 1, out var start, out var length, out _);
        return new Field(Raw.Slice(start, length), Delimiters, encoding, found && Exists, false);
    }

    /// <summary>Component <paramref name="position"/> (1-based) of the first repetition; empty when absent.</summary>
    public Component Component(int position)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        var first = Repetition(1);
        if (literal)
        {
            return new Component(position == 1 ? Raw : ReadOnlyMemory<byte>.Empty, Delimiters, encoding, position == 1 && Exists);
        }
        var found = Pieces.TryFind(first.Raw.Span, Delimiters.Component, position - 1, out var start, out var length, out _);
        return new Component(first.Raw.Slice(start, length), Delimiters, encoding, found && first.Exists);
    }

    /// <summary>The decoded text of the whole field.</summary>
    public override string ToString() => Value.ToString();

    private int ComponentCountOfThis() => literal ? (Raw.IsEmpty ? 0 : 1) : Pieces.Count(Raw.Span, Delimiters.Component);
}
