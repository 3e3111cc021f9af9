namespace Sinew.Hl7v2;

/// <summary>Decodes components of one repetition for the typed readers.</summary>
internal static class Hl7Components
{
    public static string Text(Hl7Value value, int component)
    {
        var span = value.Span;
        if (!Pieces.TryFind(span, value.Delimiters.Component, component - 1, out var start, out var length, out _) || length == 0)
        {
            return string.Empty;
        }
        return Hl7Escaping.Decode(span.Slice(start, length), value.Delimiters, value.Encoding);
    }

    public static Hl7Value Sub(Hl7Value value, int component)
    {
        var found = Pieces.TryFind(value.Span, value.Delimiters.Component, component - 1, out var start, out var length, out _);
        var raw = found ? value.Raw.Slice(start, length) : ReadOnlyMemory<byte>.Empty;
        return new Hl7Value(raw, value.Delimiters, value.Encoding, found);
    }

    public static string SubText(Hl7Value component, int subComponent)
    {
        var span = component.Span;
        if (!Pieces.TryFind(span, component.Delimiters.SubComponent, subComponent - 1, out var start, out var length, out _) || length == 0)
        {
            return string.Empty;
        }
        return Hl7Escaping.Decode(span.Slice(start, length), component.Delimiters, component.Encoding);
    }

    public static Hl7Value First(Hl7Value value)
    {
        var found = Pieces.TryFind(value.Span, value.Delimiters.Repetition, 0, out var start, out var length, out _);
        return new Hl7Value(found ? value.Raw.Slice(start, length) : ReadOnlyMemory<byte>.Empty, value.Delimiters, value.Encoding, found && value.Exists);
    }
}
