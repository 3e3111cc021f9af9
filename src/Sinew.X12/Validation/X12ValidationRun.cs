using System.Text;

namespace Sinew.X12;

/// <summary>One pass of <see cref="X12Validator"/> over a stream: the envelope state machine and the collection of results.</summary>
internal sealed partial class X12ValidationRun(X12ValidationOptions options, X12ControlNumberWindow interchangeWindow) : IX12ErrorSink
{
    private readonly X12ValidationResult _result = new();
    private readonly X12StructureValidator _structure = new();
    private readonly X12ControlNumberWindow _groupNumbers = new(options.DuplicateWindow);
    private readonly X12ControlNumberWindow _setNumbers = new(options.DuplicateWindow);
    private X12InterchangeResult? _interchange;
    private X12GroupResult? _group;
    private X12SetResult? _set;
    private X12TransactionSetSchema? _schema;
    private int _groupCount;
    private int _setCount;
    private int _position;
    private long _offset;
    private bool _lineBreaksReported;
    private bool _whitespaceReported;
    private bool _sawInterchange;
    private string? _lastSetId;
    private string? _lastVersion;
    private X12TransactionSetSchema? _lastSchema;

    public X12ValidationResult Run(X12Reader reader)
    {
        while (reader.Read())
        {
            Record(reader);
        }
        return Finish(reader);
    }

    public async ValueTask<X12ValidationResult> RunAsync(X12Reader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            Record(reader);
        }
        return Finish(reader);
    }

    private void Record(X12Reader reader)
    {
        _offset = reader.SegmentOffset;
        var flags = reader.Flags;
        if ((flags & X12RecordFlags.ByteOrderMark) != 0)
        {
            Add(X12IssueCodes.ByteOrderMark, X12IssueSeverity.Information, null, 0, 0, "the input starts with a UTF-8 byte order mark");
        }
        if (reader.Kind == X12RecordKind.Junk)
        {
            Junk(reader, flags);
            return;
        }
        _result.SegmentCount++;
        Segment(reader.Segment, flags);
    }

    private X12ValidationResult Finish(X12Reader reader)
    {
        _offset = reader.BytesConsumed;
        CloseInterchange(missingTrailer: true);
        if (!_sawInterchange)
        {
            Add(X12IssueCodes.NoInterchange, X12IssueSeverity.Error, null, 0, 0, "no ISA interchange header found");
        }
        _result.ByteCount = reader.BytesConsumed;
        return _result;
    }

    private void Junk(X12Reader reader, X12RecordFlags flags)
    {
        if ((flags & X12RecordFlags.UnreadableIsa) != 0)
        {
            Add(X12IssueCodes.IsaUnreadable, X12IssueSeverity.Error, "ISA", 0, 0, "an ISA was found but its delimiters could not be read (16 element separators, then component separator and segment terminator)");
        }
        else if (!reader.Segment.Bytes.IsEmpty)
        {
            Add(X12IssueCodes.Junk, X12IssueSeverity.Error, null, 0, 0, $"{reader.Segment.Bytes.Length} bytes that are not X12 segments");
        }
    }

    private void Segment(X12Segment segment, X12RecordFlags flags)
    {
        // The identifier ends at the first element separator; found once here and handed to the element checks.
        var bytes = segment.Bytes;
        var idLength = IdentifierEnd(bytes, segment.Delimiters.Element);
        var id = idLength < 0 ? bytes : bytes[..idLength];
        var key = X12SegmentId.Key(id);
        if (key == X12SegmentId.Isa)
        {
            Isa(segment, flags);
        }
        if ((flags & X12RecordFlags.LineBreakAfterTerminator) != 0 && !_lineBreaksReported)
        {
            _lineBreaksReported = true;
            Add(X12IssueCodes.LineBreaks, X12IssueSeverity.Information, null, 0, 0, "line breaks follow segment terminators (tolerated)");
        }
        if ((flags & X12RecordFlags.WhitespaceAfterTerminator) != 0 && !_whitespaceReported)
        {
            _whitespaceReported = true;
            Add(X12IssueCodes.Whitespace, X12IssueSeverity.Warning, null, 0, 0, "spaces or tabs follow segment terminators (tolerated)");
        }
        if ((flags & X12RecordFlags.MissingTerminator) != 0)
        {
            Add(X12IssueCodes.MissingTerminator, X12IssueSeverity.Error, Id(segment), 0, 0, "the input ends inside a segment (no terminator)");
        }
        if ((flags & X12RecordFlags.SegmentTooLong) != 0)
        {
            Add(X12IssueCodes.SegmentTooLong, X12IssueSeverity.Error, Id(segment), 0, 0, $"segment longer than {options.MaxSegmentLength} bytes was cut");
        }
        if (key == X12SegmentId.Isa)
        {
            return;
        }
        if (key == X12SegmentId.Iea)
        {
            Iea(segment);
        }
        else if (key == X12SegmentId.Gs)
        {
            Gs(segment);
        }
        else if (key == X12SegmentId.Ge)
        {
            Ge(segment);
        }
        else if (key == X12SegmentId.St)
        {
            St(segment);
        }
        else if (key == X12SegmentId.Se)
        {
            Se(segment, idLength, key);
        }
        else if (_set is not null)
        {
            Body(segment, id, idLength, key);
        }
        else if (key == X12SegmentId.Ta1 && _interchange is not null && _group is null)
        {
            _interchange.Ta1Segments.Add(segment.ToString());
        }
        else
        {
            Outside(segment);
        }
    }

    // The first element separator: identifiers are two or three bytes, so look at the first four before a general search.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int IdentifierEnd(ReadOnlySpan<byte> bytes, byte separator)
    {
        if (bytes.Length >= 4)
        {
            if (bytes[0] == separator)
            {
                return 0;
            }
            if (bytes[1] == separator)
            {
                return 1;
            }
            if (bytes[2] == separator)
            {
                return 2;
            }
            if (bytes[3] == separator)
            {
                return 3;
            }
        }
        return bytes.IndexOf(separator);
    }

    private void Isa(X12Segment isa, X12RecordFlags flags)
    {
        CloseInterchange(missingTrailer: true);
        _sawInterchange = true;
        _lineBreaksReported = _whitespaceReported = false;
        var fixedWidth = (flags & X12RecordFlags.IsaNotFixedWidth) == 0;
        _interchange = new X12InterchangeResult
        {
            SenderQualifier = Trimmed(isa, 5),
            SenderId = Trimmed(isa, 6),
            ReceiverQualifier = Trimmed(isa, 7),
            ReceiverId = Trimmed(isa, 8),
            Date = Trimmed(isa, 9),
            Time = Trimmed(isa, 10),
            Version = Trimmed(isa, 12),
            ControlNumber = Trimmed(isa, 13),
            AcknowledgmentRequested = Trimmed(isa, 14),
            UsageIndicator = Trimmed(isa, 15),
            Delimiters = isa.Delimiters,
        };
        _result.Interchanges.Add(_interchange);
        _groupCount = 0;
        _groupNumbers.Clear();
        if (!fixedWidth)
        {
            Add(X12IssueCodes.IsaNotFixedWidth, X12IssueSeverity.Warning, "ISA", 0, 0, "the ISA fields are not fixed width (tolerated: separators found by counting)");
            InterchangeNote("000", X12AckCode.AcceptedWithErrors);
        }
        X12IsaChecker.Check(isa, fixedWidth, (element, note, message, _) =>
        {
            Add(X12IssueCodes.IsaField, X12IssueSeverity.Error, "ISA", element, 0, message);
            InterchangeNote(note, X12AckCode.Rejected);
        });
        if (!interchangeWindow.Add($"{_interchange.SenderQualifier}/{_interchange.SenderId}/{_interchange.ControlNumber}"))
        {
            Add(X12IssueCodes.IsaDuplicate, X12IssueSeverity.Error, "ISA", 13, 0, $"interchange control number {_interchange.ControlNumber} was already received from this sender");
            InterchangeNote("025", X12AckCode.Rejected);
        }
    }

    private void Iea(X12Segment iea)
    {
        if (_interchange is null)
        {
            Outside(iea);
            return;
        }
        CloseGroup(missingTrailer: true);
        _interchange.GroupsIncluded = ParseCount(iea.GetElement(1));
        if (_interchange.GroupsIncluded != _groupCount)
        {
            Add(X12IssueCodes.IeaGroupCount, X12IssueSeverity.Error, "IEA", 1, 0, $"IEA01 says {Text(iea.GetElement(1))} groups, {_groupCount} were received");
            InterchangeNote("021", X12AckCode.Rejected);
        }
        if (!SameText(iea.GetElement(2).Trim((byte)' '), _interchange.ControlNumber))
        {
            Add(X12IssueCodes.IeaControlNumber, X12IssueSeverity.Error, "IEA", 2, 0, $"IEA02 {Text(iea.GetElement(2))} does not match ISA13 {_interchange.ControlNumber}");
            InterchangeNote("001", X12AckCode.Rejected);
        }
        CloseInterchange(missingTrailer: false);
    }

    private void Gs(X12Segment gs)
    {
        if (_interchange is null)
        {
            Outside(gs);
            return;
        }
        CloseGroup(missingTrailer: true);
        _groupCount++;
        _group = new X12GroupResult
        {
            FunctionalIdCode = gs.GetElementText(1),
            ApplicationSender = gs.GetElementText(2),
            ApplicationReceiver = gs.GetElementText(3),
            ControlNumber = gs.GetElementText(6),
            Version = gs.GetElementText(8),
        };
        _interchange.Groups.Add(_group);
        _setCount = 0;
        _setNumbers.Clear();
        var control = gs.GetElement(6);
        if (control.IsEmpty || control.Length > 9 || control.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            Add(X12IssueCodes.GsField, X12IssueSeverity.Error, "GS", 6, 0, "GS06 group control number must be 1 to 9 digits");
            GroupError("6");
        }
        else if (!_groupNumbers.Add(_group.ControlNumber))
        {
            Add(X12IssueCodes.GsDuplicate, X12IssueSeverity.Error, "GS", 6, 0, $"group control number {_group.ControlNumber} is used twice in this interchange");
            GroupError("19");
        }
        if (gs.ElementCount < 8 || gs.GetElement(1).Length != 2 || gs.GetElement(8).IsEmpty)
        {
            Add(X12IssueCodes.GsField, X12IssueSeverity.Error, "GS", 0, 0, "GS needs 8 elements with a 2-character GS01 and a GS08 version");
            GroupError("6");
        }
    }

    private void Ge(X12Segment ge)
    {
        if (_group is null)
        {
            Outside(ge);
            return;
        }
        CloseSet(missingTrailer: true);
        _group.SetsIncluded = ParseCount(ge.GetElement(1));
        if (_group.SetsIncluded != _setCount)
        {
            Add(X12IssueCodes.GeSetCount, X12IssueSeverity.Error, "GE", 1, 0, $"GE01 says {Text(ge.GetElement(1))} transaction sets, {_setCount} were received");
            GroupError("5");
        }
        if (!SameText(ge.GetElement(2), _group.ControlNumber))
        {
            Add(X12IssueCodes.GeControlNumber, X12IssueSeverity.Error, "GE", 2, 0, $"GE02 {Text(ge.GetElement(2))} does not match GS06 {_group.ControlNumber}");
            GroupError("4");
        }
        CloseGroup(missingTrailer: false);
    }

    private void St(X12Segment st)
    {
        if (_group is null)
        {
            Outside(st);
            return;
        }
        CloseSet(missingTrailer: true);
        _setCount++;
        _position = 1;
        _set = new X12SetResult { SetId = st.GetElementText(1), ControlNumber = st.GetElementText(2), ImplementationReference = st.GetElementText(3) };
        if (st.GetElement(1).Length != 3 || st.GetElement(1).IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            SetError("6", X12IssueCodes.StField, 1, "ST01 transaction set identifier must be 3 digits");
        }
        if (st.GetElement(2).Length is < 4 or > 9)
        {
            SetError("7", X12IssueCodes.StField, 2, "ST02 control number must be 4 to 9 characters");
        }
        else if (!_setNumbers.Add(_set.ControlNumber))
        {
            SetError("23", X12IssueCodes.StDuplicate, 2, $"transaction set control number {_set.ControlNumber} is used twice in this group");
        }
        _schema = options.ValidateStructure ? FindSchema(_set.SetId, _group.Version) : null;
        if (_schema is not null)
        {
            _structure.Begin(_schema, st, this);
        }
        else if (options.RejectUnknownSets)
        {
            SetError("1", X12IssueCodes.SetNotSupported, 0, $"no schema for {_set.SetId} in {_group.Version}");
        }
        else if (options.ValidateStructure)
        {
            Add(X12IssueCodes.SetNotSupported, X12IssueSeverity.Information, "ST", 1, 0, $"no schema for {_set.SetId} in {_group.Version}: envelope checked, structure not");
        }
    }

    // Consecutive sets of a group are almost always the same kind: remember the last lookup.
    private X12TransactionSetSchema? FindSchema(string setId, string version)
    {
        if (setId != _lastSetId || !ReferenceEquals(version, _lastVersion))
        {
            _lastSchema = options.Schemas.Find(setId, version);
            _lastSetId = setId;
            _lastVersion = version;
        }
        return _lastSchema;
    }

    private void Se(X12Segment se, int idLength, int key)
    {
        if (_set is null)
        {
            Outside(se);
            return;
        }
        _position++;
        if (_schema is not null)
        {
            _structure.Accept(se, idLength, key, _position, this);
        }
        if (ParseCount(se.GetElement(1)) != _position)
        {
            SetError("4", X12IssueCodes.SeSegmentCount, 1, $"SE01 says {Text(se.GetElement(1))} segments, {_position} were received");
        }
        if (!SameText(se.GetElement(2), _set.ControlNumber))
        {
            SetError("3", X12IssueCodes.SeControlNumber, 2, $"SE02 {Text(se.GetElement(2))} does not match ST02 {_set.ControlNumber}");
        }
        CloseSet(missingTrailer: false);
    }

    private void Body(X12Segment segment, ReadOnlySpan<byte> id, int idLength, int key)
    {
        _position++;
        if (!X12SegmentId.IsWellFormed(id))
        {
            SegmentError(Id(segment) ?? "", _position, "", "1", X12IssueCodes.SegmentUnrecognized, $"'{Id(segment)}' is not a segment identifier");
            return;
        }
        if (_schema is not null)
        {
            _structure.Accept(segment, idLength, key, _position, this);
        }
    }

    private void Outside(X12Segment segment)
    {
        var id = Id(segment);
        if (_interchange is null)
        {
            Add(X12IssueCodes.OutsideInterchange, X12IssueSeverity.Error, id, 0, 0, $"{id} outside an interchange (no ISA before it)");
        }
        else if (_group is null)
        {
            Add(X12IssueCodes.OutsideGroup, X12IssueSeverity.Error, id, 0, 0, $"{id} outside a functional group (no GS before it)");
            InterchangeNote("024", X12AckCode.Rejected);
        }
        else
        {
            Add(X12IssueCodes.OutsideSet, X12IssueSeverity.Error, id, 0, 0, $"{id} outside a transaction set (no ST before it)");
            GroupError("5");
        }
    }
}
