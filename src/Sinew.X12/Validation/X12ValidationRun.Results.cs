using System.Text;

namespace Sinew.X12;

/// <summary>Closing envelopes, recording verdicts, and turning findings into issues and acknowledgement data.</summary>
internal sealed partial class X12ValidationRun
{
    private void CloseSet(bool missingTrailer)
    {
        if (_set is null || _group is null)
        {
            return;
        }
        if (missingTrailer)
        {
            SetError("2", X12IssueCodes.SeMissing, 0, $"transaction set {_set.ControlNumber} has no SE trailer");
        }
        if (_schema is not null)
        {
            _structure.End(_position, this);
        }
        if (_set.HasSegmentErrors && !_set.SyntaxErrorCodes.Contains("5"))
        {
            _set.SyntaxErrorCodes.Add("5");
        }
        if (_set.HasSyntaxErrors)
        {
            _set.AckCode = X12AckCode.Rejected;
        }
        _group.SetsReceived++;
        if (_set.AckCode != X12AckCode.Rejected)
        {
            _group.SetsAccepted++;
        }
        if (_set.AckCode == X12AckCode.Rejected || _group.Sets.Count < options.MaxRetainedSets)
        {
            _group.Sets.Add(_set);
        }
        else
        {
            _group.SetsNotRetained++;
        }
        _set = null;
        _schema = null;
    }

    private void CloseGroup(bool missingTrailer)
    {
        if (_group is null)
        {
            return;
        }
        CloseSet(missingTrailer: true);
        if (missingTrailer)
        {
            Add(X12IssueCodes.GeMissing, X12IssueSeverity.Error, "GE", 0, 0, $"functional group {_group.ControlNumber} has no GE trailer");
            GroupError("3");
        }
        if (_group.SyntaxErrorCodes.Count > 0 || (_group.SetsReceived > 0 && _group.SetsAccepted == 0))
        {
            _group.AckCode = X12AckCode.Rejected;
        }
        else if (_group.SetsAccepted < _group.SetsReceived)
        {
            _group.AckCode = X12AckCode.PartiallyAccepted;
        }
        _group = null;
    }

    private void CloseInterchange(bool missingTrailer)
    {
        if (_interchange is null)
        {
            return;
        }
        CloseGroup(missingTrailer: true);
        if (missingTrailer)
        {
            Add(X12IssueCodes.IeaMissing, X12IssueSeverity.Error, "IEA", 0, 0, $"interchange {_interchange.ControlNumber} has no IEA trailer");
            InterchangeNote("023", X12AckCode.Rejected);
        }
        _interchange = null;
    }

    private void SetError(string ackCode, string issueCode, int element, string message)
    {
        if (_set is null)
        {
            return;
        }
        if (!_set.SyntaxErrorCodes.Contains(ackCode))
        {
            _set.SyntaxErrorCodes.Add(ackCode);
        }
        Add(issueCode, X12IssueSeverity.Error, element == 0 ? null : issueCode == X12IssueCodes.StField || issueCode == X12IssueCodes.StDuplicate ? "ST" : "SE", element, 0, message);
    }

    private void GroupError(string ackCode)
    {
        if (_group is not null && !_group.SyntaxErrorCodes.Contains(ackCode))
        {
            _group.SyntaxErrorCodes.Add(ackCode);
        }
    }

    private void InterchangeNote(string noteCode, X12AckCode ackCode)
    {
        if (_interchange is null)
        {
            return;
        }
        if (ackCode > _interchange.AckCode)
        {
            _interchange.AckCode = ackCode;
        }
        if (_interchange.NoteCode == "000" && noteCode != "000")
        {
            _interchange.NoteCode = noteCode;
        }
    }

    public void SegmentError(string segmentId, int position, string loopId, string ackCode, string issueCode, string message)
    {
        if (_set is not null && _set.SegmentErrors.Count < options.MaxIssues)
        {
            _set.SegmentErrors.Add(new X12SegmentError(segmentId, position, loopId, ackCode));
        }
        Add(issueCode, X12IssueSeverity.Error, segmentId, 0, 0, message, position);
    }

    public void ElementError(X12Segment segment, int position, string loopId, int element, int component, int reference, string ackCode, string issueCode, string message, ReadOnlySpan<byte> badValue)
    {
        var id = Id(segment) ?? "";
        if (_set is not null && _set.SegmentErrors.Count < options.MaxIssues)
        {
            var errors = _set.SegmentErrors;
            if (errors.Count == 0 || errors[^1].Position != position)
            {
                errors.Add(new X12SegmentError(id, position, loopId, "8"));
            }
            var bad = badValue.IsEmpty ? null : Encoding.Latin1.GetString(badValue.Length > 99 ? badValue[..99] : badValue);
            errors[^1].Elements.Add(new X12ElementError(element, component, reference, ackCode, bad));
        }
        Add(issueCode, X12IssueSeverity.Error, id, element, component, message, position);
    }

    private void Add(string code, X12IssueSeverity severity, string? segmentId, int element, int component, string message, int position = -1)
    {
        if (severity == X12IssueSeverity.Error)
        {
            _result.ErrorCount++;
        }
        if (_result.Issues.Count >= options.MaxIssues)
        {
            _result.IssuesNotRetained++;
            return;
        }
        var location = new X12Location(
            _offset,
            _interchange?.ControlNumber,
            _group?.ControlNumber,
            _set?.ControlNumber,
            segmentId,
            position >= 0 ? position : _set is null ? 0 : _position,
            element,
            component);
        _result.Issues.Add(new X12Issue(code, severity, location, message));
    }

    private static bool SameText(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }
        return true;
    }

    private static string? Id(X12Segment segment) => segment.Bytes.IsEmpty ? null : Encoding.Latin1.GetString(segment.Id);

    private static string Trimmed(X12Segment segment, int element) => Encoding.Latin1.GetString(segment.GetElement(element).Trim((byte)' '));

    private static string Text(ReadOnlySpan<byte> value) => Encoding.Latin1.GetString(value.Length > 20 ? value[..20] : value);

    private static int ParseCount(ReadOnlySpan<byte> value)
    {
        value = value.Trim((byte)' ');
        if (value.IsEmpty || value.Length > 9 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return -2;
        }
        var n = 0;
        foreach (var b in value)
        {
            n = n * 10 + b - '0';
        }
        return n;
    }
}
