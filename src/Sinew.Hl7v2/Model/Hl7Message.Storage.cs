namespace Sinew.Hl7v2;

/// <summary>Where segment bytes live: offsets into the parsed bytes, or an edited copy of the segment and its terminator.</summary>
public sealed partial class Hl7Message
{
    /// <summary>Segment bytes without terminator.</summary>
    internal ReadOnlyMemory<byte> ContentOf(int index)
    {
        var slot = slots[index];
        return slot.IsEdited ? edits![~slot.Start].AsMemory(0, slot.ContentLength) : source.Slice(slot.Start, slot.ContentLength);
    }

    /// <summary>Terminator bytes after the segment.</summary>
    internal ReadOnlyMemory<byte> TerminatorOf(int index)
    {
        var slot = slots[index];
        return slot.IsEdited
            ? edits![~slot.Start].AsMemory(slot.ContentLength, slot.TerminatorLength)
            : source.Slice(slot.Start + slot.ContentLength, slot.TerminatorLength);
    }

    private ReadOnlyMemory<byte> WholeOf(int index)
    {
        var slot = slots[index];
        return slot.IsEdited
            ? edits![~slot.Start].AsMemory(0, slot.ContentLength + slot.TerminatorLength)
            : source.Slice(slot.Start, slot.ContentLength + slot.TerminatorLength);
    }

    private ReadOnlySpan<byte> ContentSpan(ReadOnlySpan<byte> bytes, int index)
    {
        var slot = slots[index];
        return slot.IsEdited ? edits![~slot.Start].AsSpan(0, slot.ContentLength) : bytes.Slice(slot.Start, slot.ContentLength);
    }

    private ReadOnlySpan<byte> WholeSpan(ReadOnlySpan<byte> bytes, int index)
    {
        var slot = slots[index];
        return slot.IsEdited
            ? edits![~slot.Start].AsSpan(0, slot.ContentLength + slot.TerminatorLength)
            : bytes.Slice(slot.Start, slot.ContentLength + slot.TerminatorLength);
    }

    /// <summary>Stores new content and terminator for segment <paramref name="index"/>, or inserts a segment there.</summary>
    private void Store(int index, ReadOnlySpan<byte> content, ReadOnlySpan<byte> terminator, bool insert)
    {
        var whole = new byte[content.Length + terminator.Length];
        content.CopyTo(whole);
        terminator.CopyTo(whole.AsSpan(content.Length));
        edits ??= [];
        int edit;
        if (!insert && slots[index].IsEdited)
        {
            edit = ~slots[index].Start;
            edits[edit] = whole;
        }
        else
        {
            edit = edits.Count;
            edits.Add(whole);
        }
        var slot = new SegmentSlot(~edit, content.Length, terminator.Length);
        if (insert)
        {
            slots.Insert(index, slot);
        }
        else
        {
            slots[index] = slot;
        }
    }
}
