namespace Sinew.X12;

/// <summary>Reads TA1, 997 and 999 acknowledgements received from partners, to mark the documents Sinew sent as accepted or rejected.</summary>
public sealed class X12AckReader
{
    private readonly List<X12ReceivedAck> _acks = [];

    private X12AckReader()
    {
    }

    /// <summary>Every verdict found, in input order.</summary>
    public IReadOnlyList<X12ReceivedAck> Acks => _acks;

    /// <summary>Reads every acknowledgement in the stream; other transaction sets are skipped.</summary>
    public static X12AckReader Read(Stream stream)
    {
        var result = new X12AckReader();
        using var reader = new X12Reader(stream, leaveOpen: true);
        string? kind = null;
        string? group = null;
        string? setId = null;
        string? setControl = null;
        while (reader.Read())
        {
            if (reader.Kind != X12RecordKind.Segment)
            {
                continue;
            }
            var s = reader.Segment;
            var id = s.Id;
            if (id.SequenceEqual("TA1"u8))
            {
                result._acks.Add(new("TA1", s.GetElementText(1), null, null, null, Parse(s.GetElement(4)), [s.GetElementText(5)]));
            }
            else if (id.SequenceEqual("ST"u8))
            {
                var set = s.GetElement(1);
                kind = set.SequenceEqual("997"u8) ? "997" : set.SequenceEqual("999"u8) ? "999" : null;
            }
            else if (kind is null)
            {
                continue;
            }
            else if (id.SequenceEqual("AK1"u8))
            {
                group = s.GetElementText(2);
            }
            else if (id.SequenceEqual("AK2"u8))
            {
                setId = s.GetElementText(1);
                setControl = s.GetElementText(2);
            }
            else if (id.SequenceEqual("AK5"u8) || id.SequenceEqual("IK5"u8))
            {
                result._acks.Add(new(kind, null, group, setControl, setId, Parse(s.GetElement(1)), Codes(s, 2, s.ElementCount)));
            }
            else if (id.SequenceEqual("AK9"u8))
            {
                result._acks.Add(new(kind, null, group, null, null, Parse(s.GetElement(1)), Codes(s, 5, s.ElementCount)));
            }
            else if (id.SequenceEqual("SE"u8))
            {
                kind = null;
            }
        }
        return result;
    }

    /// <summary>
    /// The verdict on a set Sinew sent: the set's own AK5/IK5 when listed, otherwise its group's AK9
    /// (a set not listed in a partially accepted group counts as accepted); null when no acknowledgement covers it.
    /// </summary>
    public X12AckCode? StatusOf(string groupControlNumber, string setControlNumber)
    {
        X12AckCode? groupCode = null;
        foreach (var ack in _acks)
        {
            if (ack.GroupControlNumber != groupControlNumber)
            {
                continue;
            }
            if (ack.SetControlNumber == setControlNumber)
            {
                return ack.Code;
            }
            if (ack.SetControlNumber is null)
            {
                groupCode = ack.Code == X12AckCode.PartiallyAccepted ? X12AckCode.Accepted : ack.Code;
            }
        }
        return groupCode;
    }

    /// <summary>The TA1 verdict on an interchange Sinew sent, or null when none was received.</summary>
    public X12AckCode? InterchangeStatusOf(string interchangeControlNumber)
    {
        foreach (var ack in _acks)
        {
            if (ack.Kind == "TA1" && ack.InterchangeControlNumber == interchangeControlNumber)
            {
                return ack.Code;
            }
        }
        return null;
    }

    private static X12AckCode Parse(ReadOnlySpan<byte> code) => code.Length == 1 ? code[0] switch
    {
        (byte)'A' => X12AckCode.Accepted,
        (byte)'E' => X12AckCode.AcceptedWithErrors,
        (byte)'P' => X12AckCode.PartiallyAccepted,
        _ => X12AckCode.Rejected,
    } : X12AckCode.Rejected;

    private static List<string> Codes(X12Segment s, int from, int to)
    {
        var codes = new List<string>();
        for (var i = from; i <= to; i++)
        {
            if (!s.GetElement(i).IsEmpty)
            {
                codes.Add(s.GetElementText(i));
            }
        }
        return codes;
    }
}
