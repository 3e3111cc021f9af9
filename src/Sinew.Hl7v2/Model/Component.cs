namespace Sinew.Hl7v2;

/// <summary>A component (or sub-component) of a field repetition, viewed over the message bytes.</summary>
public readonly struct Component
{
    private readonly Hl7TextEncoding encoding;

    internal Component(ReadOnlyMemory<byte> raw, Hl7Delimiters delimiters, Hl7TextEncoding encoding, bool exists)
    {
        Raw = raw;
        Delimiters = delimiters;
        this.encoding = encoding;
        Exists = exists;
    }

    /// <summary>The escaped bytes exactly as in the message.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The delimiters of the message.</summary>
    public Hl7Delimiters Delimiters { get; }

    /// <summary>True when the position exists in the message.</summary>
    public bool Exists { get; }

    /// <summary>True when the component has no bytes.</summary>
    public bool IsEmpty => Raw.IsEmpty;

    /// <summary>Number of sub-components (0 when empty).</summary>
    public int SubComponentCount => Pieces.Count(Raw.Span, Delimiters.SubComponent);

    /// <summary>The value view of this component.</summary>
    public Hl7Value Value => new(Raw, Delimiters, encoding, Exists);

    /// <summary>Sub-component <paramref name="position"/> (1-based); empty when absent.</summary>
    public Component SubComponent(int position)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        var found = Pieces.TryFind(Raw.Span, Delimiters.SubComponent, position - 1, out var start, out var length, out _);
        return new Component(Raw.Slice(start, length), Delimiters, encoding, found && Exists);
    }

    /// <summary>The decoded text.</summary>
    public override string ToString() => Value.ToString();
}
