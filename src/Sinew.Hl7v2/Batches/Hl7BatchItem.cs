namespace Sinew.Hl7v2;

/// <summary>One piece of a batch file with its exact bytes (terminators included), so writing every item back gives the file.</summary>
/// <param name="Kind">Message or envelope segment.</param>
/// <param name="Bytes">The bytes of this piece, verbatim.</param>
/// <param name="Offset">Position of the first byte in the file or stream.</param>
public sealed record Hl7BatchItem(Hl7BatchItemKind Kind, ReadOnlyMemory<byte> Bytes, long Offset)
{
    /// <summary>Parses the bytes as a message (meaningful for <see cref="Hl7BatchItemKind.Message"/>).</summary>
    public Hl7ParseResult Parse(Hl7ParseOptions? options = null) => Hl7Message.Parse(Bytes, options);
}
