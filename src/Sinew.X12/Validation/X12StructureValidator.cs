namespace Sinew.X12;

/// <summary>
/// Walks the segments of one transaction set through its schema as a state machine over loops,
/// reporting missing, repeated, unexpected and out-of-order segments without allocating on the happy path.
/// </summary>
internal sealed class X12StructureValidator
{
    private Frame[] _stack = new Frame[16];
    private int _depth;
    private X12TransactionSetSchema? _schema;
    private X12SegmentKeyTable? _keys;

    private struct Frame
    {
        public X12StructureNode Node;
        public int Index;
        public int UseCount;
    }

    public void Begin(X12TransactionSetSchema schema, X12Segment st, IX12ErrorSink sink)
    {
        _schema = schema;
        _keys = schema.KeyTable;
        _depth = 1;
        _stack[0] = new Frame { Node = schema.Root, Index = 0, UseCount = 1 };
        var stDefinition = schema.Root.ChildArray.Length > 0 ? schema.Root.ChildArray[0].Definition : null;
        if (stDefinition is not null)
        {
            X12ElementChecker.Check(st, st.Bytes.IndexOf(st.Delimiters.Element), stDefinition, 1, "", sink);
        }
    }

    /// <summary>
    /// Places one body segment (or SE) in the structure and checks its elements. <paramref name="idLength"/> is the index
    /// of the first element separator (-1 when there is none), which the caller already found.
    /// </summary>
    public void Accept(X12Segment segment, int idLength, int key, int position, IX12ErrorSink sink)
    {
        // A segment the set does not name at all matches no loop: go straight to the error.
        var ordinal = _keys!.Ordinal(key);
        if (ordinal >= 0)
        {
            var bit = X12StructureNode.MaskBit(key);
            for (var d = _depth - 1; d >= 0; d--)
            {
                ref var frame = ref _stack[d];
                if ((frame.Node.BodyKeyMask & bit) == 0)
                {
                    continue;
                }
                var start = d > 0 && frame.Index == 0 ? 1 : frame.Index;
                var j = frame.Node.FindChild(ordinal, start);
                if (j < 0)
                {
                    continue;
                }
                var child = frame.Node.ChildArray[j];
                for (var p = _depth - 1; p > d; p--)
                {
                    Close(ref _stack[p], position, sink);
                }
                _depth = d + 1;
                var loopId = frame.Node.LoopId ?? "";
                if (j == frame.Index)
                {
                    frame.UseCount++;
                    if (frame.UseCount > child.MaxUse)
                    {
                        if (child.IsLoop)
                        {
                            sink.SegmentError(child.SegmentId, position, child.LoopId!, "4", X12IssueCodes.LoopRepeat, $"loop {child.LoopId} occurs more than {child.MaxUse} times");
                        }
                        else
                        {
                            sink.SegmentError(child.SegmentId, position, loopId, "5", X12IssueCodes.SegmentRepeat, $"{child.SegmentId} is used more than {child.MaxUse} times");
                        }
                    }
                }
                else
                {
                    ReportSkipped(ref frame, j, position, sink);
                    frame.Index = j;
                    frame.UseCount = 1;
                }
                var definition = child.IsLoop ? child.ChildArray[0].Definition : child.Definition;
                if (child.IsLoop)
                {
                    Push(child);
                    loopId = child.LoopId!;
                }
                if (definition is not null)
                {
                    X12ElementChecker.Check(segment, idLength, definition, position, loopId, sink);
                }
                return;
            }
        }
        var id = segment.Id;
        var text = System.Text.Encoding.Latin1.GetString(id);
        var currentLoop = _stack[_depth - 1].Node.LoopId ?? "";
        if (_schema!.AllKeys.Contains(key))
        {
            sink.SegmentError(text, position, currentLoop, "7", X12IssueCodes.SegmentOrder, $"{text} is not in its proper place in the {_schema.SetId}");
        }
        else
        {
            sink.SegmentError(text, position, currentLoop, "6", X12IssueCodes.SegmentNotInSet, $"{text} is not a segment of the {_schema.SetId}");
        }
    }

    /// <summary>Closes every open loop at the end of the set (after SE), reporting what required segments never came.</summary>
    public void End(int position, IX12ErrorSink sink)
    {
        for (var p = _depth - 1; p >= 0; p--)
        {
            Close(ref _stack[p], position, sink);
        }
        _depth = 0;
    }

    private void Push(X12StructureNode loop)
    {
        if (_depth == _stack.Length)
        {
            Array.Resize(ref _stack, _stack.Length * 2);
        }
        _stack[_depth++] = new Frame { Node = loop, Index = 0, UseCount = 1 };
    }

    private static void ReportSkipped(ref Frame frame, int next, int position, IX12ErrorSink sink)
    {
        var node = frame.Node;
        var required = node.NextRequiredChild;
        for (var i = required[frame.Index + 1]; i < next; i = required[i + 1])
        {
            ReportMissing(node, node.ChildArray[i], position, sink);
        }
    }

    private static void Close(ref Frame frame, int position, IX12ErrorSink sink)
    {
        var node = frame.Node;
        var required = node.NextRequiredChild;
        var count = node.ChildArray.Length;
        for (var i = required[Math.Min(frame.Index + 1, count)]; i < count; i = required[i + 1])
        {
            ReportMissing(node, node.ChildArray[i], position, sink);
        }
    }

    private static void ReportMissing(X12StructureNode parent, X12StructureNode child, int position, IX12ErrorSink sink)
    {
        if (!child.IsRequired)
        {
            return;
        }
        var what = child.IsLoop ? $"loop {child.LoopId} ({child.SegmentId})" : child.SegmentId;
        sink.SegmentError(child.SegmentId, position, parent.LoopId ?? "", "3", X12IssueCodes.SegmentMissing, $"required {what} is missing");
    }
}
