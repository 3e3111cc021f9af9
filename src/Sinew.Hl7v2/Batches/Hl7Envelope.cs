namespace Sinew.Hl7v2;

/// <summary>Follows FHS/BHS/BTS/FTS as items go by and reports trailers whose counts do not match and envelopes left open.</summary>
public sealed class Hl7Envelope
{
    private readonly List<Hl7Issue> issues = [];
    private byte fieldSeparator = (byte)'|';
    private bool fileOpen;
    private bool batchOpen;
    private int messagesInBatch;
    private int batchesInFile;

    /// <summary>Issues found so far.</summary>
    public IReadOnlyList<Hl7Issue> Issues => issues;

    /// <summary>Takes the next item of the file in order.</summary>
    public void Add(Hl7BatchItem item)
    {
        var span = item.Bytes.Span;
        switch (item.Kind)
        {
            case Hl7BatchItemKind.FileHeader:
                fileOpen = true;
                batchesInFile = 0;
                fieldSeparator = SeparatorOf(span);
                break;
            case Hl7BatchItemKind.BatchHeader:
                batchOpen = true;
                batchesInFile++;
                messagesInBatch = 0;
                fieldSeparator = SeparatorOf(span);
                break;
            case Hl7BatchItemKind.Message:
                messagesInBatch++;
                break;
            case Hl7BatchItemKind.BatchTrailer:
                if (!batchOpen)
                {
                    Report(Hl7IssueCode.BatchEnvelopeError, "BTS", "A BTS segment without a BHS before it.");
                }
                CheckCount(span, messagesInBatch, "BTS", "BTS-1 batch message count");
                batchOpen = false;
                break;
            case Hl7BatchItemKind.FileTrailer:
                if (!fileOpen)
                {
                    Report(Hl7IssueCode.BatchEnvelopeError, "FTS", "An FTS segment without an FHS before it.");
                }
                CheckCount(span, batchesInFile, "FTS", "FTS-1 file batch count");
                fileOpen = false;
                break;
        }
    }

    /// <summary>Ends the file and returns every issue, including envelopes never closed.</summary>
    public IReadOnlyList<Hl7Issue> Complete()
    {
        if (batchOpen)
        {
            Report(Hl7IssueCode.BatchEnvelopeError, "BHS", "A BHS batch header without a BTS trailer.");
            batchOpen = false;
        }
        if (fileOpen)
        {
            Report(Hl7IssueCode.BatchEnvelopeError, "FHS", "An FHS file header without an FTS trailer.");
            fileOpen = false;
        }
        return issues;
    }

    private void CheckCount(ReadOnlySpan<byte> span, int actual, string segment, string what)
    {
        var end = span.IndexOfAny((byte)'\r', (byte)'\n');
        var line = end < 0 ? span : span[..end];
        if (!Pieces.TryFind(line, fieldSeparator, 1, out var start, out var length, out _) || length == 0)
        {
            return;
        }
        var field = line.Slice(start, length);
        if (!Hl7Numbers.TryParseInt64(field, out var declared) || declared != actual)
        {
            issues.Add(new Hl7Issue(Hl7IssueCode.BatchCountMismatch, Hl7Severity.Error, new Hl7Location(segment, 1, 1),
                $"{what} does not match the {actual} counted."));
        }
    }

    private void Report(Hl7IssueCode code, string segment, string text) =>
        issues.Add(new Hl7Issue(code, Hl7Severity.Error, new Hl7Location(segment, 1), text));

    private static byte SeparatorOf(ReadOnlySpan<byte> header)
    {
        var p = 0;
        while (p < header.Length && header[p] is (byte)'\r' or (byte)'\n' or (byte)' ' or 0xEF or 0xBB or 0xBF)
        {
            p++;
        }
        return header.Length > p + 3 ? header[p + 3] : (byte)'|';
    }
}
