using System.Buffers;

namespace Sinew.Hl7v2;

/// <summary>Rewrites one position of a segment, creating empty fields, repetitions and components as needed.</summary>
internal static class Hl7Splice
{
    public static byte[] Replace(ReadOnlySpan<byte> segment, Hl7Delimiters d, bool header, in Hl7Path path, ReadOnlySpan<byte> value)
    {
        Span<byte> separators = [d.Field, d.Repetition, d.Component, d.SubComponent];
        Span<int> indexes = [header ? path.Field - 1 : path.Field, Math.Max(1, path.Repetition) - 1, path.Component - 1, path.SubComponent - 1];
        var depth = path.SubComponent > 0 ? 4 : path.Component > 0 ? 3 : path.Repetition > 0 ? 2 : 1;
        if (depth == 4 && d.SubComponent == 0)
        {
            throw new ArgumentException("The message declares no sub-component separator.", nameof(path));
        }
        var padding = new ArrayBufferWriter<byte>(16);
        int start = 0, end = segment.Length;
        var created = false;
        for (var level = 0; level < depth; level++)
        {
            var separator = separators[level];
            var index = indexes[level];
            if (created)
            {
                Repeat(padding, separator, index);
                continue;
            }
            var container = segment[start..end];
            if (Pieces.TryFind(container, separator, index, out var pieceStart, out var length, out var missing))
            {
                start += pieceStart;
                end = start + length;
            }
            else
            {
                start = end;
                Repeat(padding, separator, container.IsEmpty && level > 0 ? index : missing);
                created = true;
            }
        }
        var result = new byte[start + padding.WrittenCount + value.Length + (segment.Length - end)];
        segment[..start].CopyTo(result);
        padding.WrittenSpan.CopyTo(result.AsSpan(start));
        value.CopyTo(result.AsSpan(start + padding.WrittenCount));
        segment[end..].CopyTo(result.AsSpan(start + padding.WrittenCount + value.Length));
        return result;
    }

    private static void Repeat(ArrayBufferWriter<byte> writer, byte separator, int count)
    {
        if (count <= 0)
        {
            return;
        }
        writer.GetSpan(count)[..count].Fill(separator);
        writer.Advance(count);
    }
}
