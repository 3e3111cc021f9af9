namespace Sinew.Hl7v2;

/// <summary>A file or stream of HL7 v2 messages held in memory, split into messages and FHS/BHS/BTS/FTS envelope segments.</summary>
/// <param name="Items">The pieces in order; their bytes concatenated give the input exactly.</param>
/// <param name="Issues">Envelope issues: trailer counts that do not match, headers without trailers.</param>
public sealed record Hl7Batch(IReadOnlyList<Hl7BatchItem> Items, IReadOnlyList<Hl7Issue> Issues)
{
    /// <summary>Splits <paramref name="data"/> without copying; messages are parsed on demand with <see cref="Hl7BatchItem.Parse"/>.</summary>
    public static Hl7Batch Parse(ReadOnlyMemory<byte> data)
    {
        var items = new List<Hl7BatchItem>();
        var envelope = new Hl7Envelope();
        var offset = 0;
        while (offset < data.Length)
        {
            var length = Hl7Units.FindEnd(data.Span[offset..], final: true, out var kind);
            var item = new Hl7BatchItem(kind, data.Slice(offset, length), offset);
            envelope.Add(item);
            items.Add(item);
            offset += length;
        }
        var issues = envelope.Complete();
        if (items.Count == 0)
        {
            issues = [new Hl7Issue(Hl7IssueCode.EmptyMessage, Hl7Severity.Error, Hl7Location.Message, "The input holds no bytes.")];
        }
        return new Hl7Batch(items, issues);
    }

    /// <summary>Number of items that are messages.</summary>
    public int MessageCount
    {
        get
        {
            var count = 0;
            foreach (var item in Items)
            {
                if (item.Kind == Hl7BatchItemKind.Message)
                {
                    count++;
                }
            }
            return count;
        }
    }
}
