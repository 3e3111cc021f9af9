using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sinew.X12;

/// <summary>
/// Writes a new interchange with correct envelopes: fixed-width ISA, GS/GE, ST/SE, and the counts and control numbers
/// (SE01, SE02, GE01, GE02, IEA01, IEA02) computed rather than trusted to the caller.
/// </summary>
public sealed class X12InterchangeBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly X12InterchangeHeader _header;
    private readonly string _segmentSuffix;
    private int _groups;
    private int _sets;
    private int _setSegments;
    private string? _groupControl;
    private string? _setControl;
    private bool _finished;

    /// <summary>Starts an interchange; <paramref name="segmentSuffix"/> (e.g. "\n") is written after each terminator for readability.</summary>
    public X12InterchangeBuilder(X12InterchangeHeader header, X12Delimiters? delimiters = null, string segmentSuffix = "")
    {
        _header = header;
        _segmentSuffix = segmentSuffix;
        Delimiters = delimiters ?? X12Delimiters.Default;
        if (!Delimiters.AreValid)
        {
            throw new ArgumentException("delimiters must be distinct and not letters or digits", nameof(delimiters));
        }
        var repetition = string.CompareOrdinal(header.Version, "00402") >= 0 && Delimiters.Repetition != 0 ? (char)Delimiters.Repetition : 'U';
        Segment("ISA", "00", Pad("", 10), "00", Pad("", 10), Pad(header.SenderQualifier, 2), Pad(header.SenderId, 15),
            Pad(header.ReceiverQualifier, 2), Pad(header.ReceiverId, 15), header.Timestamp.ToString("yyMMdd", CultureInfo.InvariantCulture),
            header.Timestamp.ToString("HHmm", CultureInfo.InvariantCulture), repetition.ToString(), header.Version,
            header.ControlNumber.ToString("D9", CultureInfo.InvariantCulture), header.AcknowledgmentRequested ? "1" : "0",
            header.UsageIndicator.ToString(), ((char)Delimiters.Component).ToString());
    }

    /// <summary>The delimiters the interchange uses; element values must not contain them.</summary>
    public X12Delimiters Delimiters { get; }

    /// <summary>Starts a functional group (GS); GS04/GS05 come from the interchange timestamp.</summary>
    public X12InterchangeBuilder BeginGroup(string functionalIdCode, string applicationSender, string applicationReceiver, int controlNumber, string version)
    {
        if (_groupControl is not null)
        {
            throw new InvalidOperationException("the previous group is not ended");
        }
        _groupControl = controlNumber.ToString(CultureInfo.InvariantCulture);
        _sets = 0;
        _groups++;
        Segment("GS", functionalIdCode, applicationSender, applicationReceiver, _header.Timestamp.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            _header.Timestamp.ToString("HHmm", CultureInfo.InvariantCulture), _groupControl, "X", version);
        return this;
    }

    /// <summary>Starts a transaction set (ST); <paramref name="implementationReference"/> is ST03 for 005010 guides.</summary>
    public X12InterchangeBuilder BeginSet(string setId, string controlNumber, string? implementationReference = null)
    {
        if (_groupControl is null || _setControl is not null)
        {
            throw new InvalidOperationException("a set starts inside a group, after the previous set ended");
        }
        _setControl = controlNumber;
        _setSegments = 0;
        _sets++;
        if (implementationReference is null)
        {
            Segment("ST", setId, controlNumber);
        }
        else
        {
            Segment("ST", setId, controlNumber, implementationReference);
        }
        return this;
    }

    /// <summary>Writes one segment; trailing empty elements are dropped as X12 requires.</summary>
    public X12InterchangeBuilder Segment(string id, params ReadOnlySpan<string> elements)
    {
        var last = elements.Length;
        while (last > 0 && elements[last - 1].Length == 0 && id != "ISA")
        {
            last--;
        }
        Write(id);
        foreach (var element in elements[..last])
        {
            _output.Write([Delimiters.Element]);
            Write(element);
        }
        _output.Write([Delimiters.Segment]);
        if (_segmentSuffix.Length > 0)
        {
            Write(_segmentSuffix);
        }
        if (_setControl is not null)
        {
            _setSegments++;
        }
        return this;
    }

    /// <summary>Ends the set with an SE carrying the segment count and the ST02.</summary>
    public X12InterchangeBuilder EndSet()
    {
        var control = _setControl ?? throw new InvalidOperationException("no set to end");
        Segment("SE", (_setSegments + 1).ToString(CultureInfo.InvariantCulture), control);
        _setControl = null;
        return this;
    }

    /// <summary>Ends the group with a GE carrying the set count and the GS06.</summary>
    public X12InterchangeBuilder EndGroup()
    {
        var control = _groupControl ?? throw new InvalidOperationException("no group to end");
        if (_setControl is not null)
        {
            throw new InvalidOperationException("the set is not ended");
        }
        Segment("GE", _sets.ToString(CultureInfo.InvariantCulture), control);
        _groupControl = null;
        return this;
    }

    /// <summary>Ends the interchange (IEA) and returns its bytes.</summary>
    public byte[] ToArray()
    {
        if (!_finished)
        {
            if (_groupControl is not null)
            {
                throw new InvalidOperationException("the group is not ended");
            }
            Segment("IEA", _groups.ToString(CultureInfo.InvariantCulture), _header.ControlNumber.ToString("D9", CultureInfo.InvariantCulture));
            _finished = true;
        }
        return _output.WrittenSpan.ToArray();
    }

    private void Write(string text)
    {
        var span = _output.GetSpan(Encoding.Latin1.GetMaxByteCount(text.Length));
        _output.Advance(Encoding.Latin1.GetBytes(text, span));
    }

    private static string Pad(string value, int width) => value.Length >= width ? value[..width] : value.PadRight(width);
}
