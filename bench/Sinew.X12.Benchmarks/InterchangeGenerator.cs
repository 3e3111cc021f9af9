using System.Text;

namespace Sinew.X12.Benchmarks;

/// <summary>
/// One interchange of many 850 purchase orders of about 1 KB each (the shape of a hospital's daily PO batch), produced as a
/// stream from a byte template with the control numbers patched in, so a 1 GB input costs neither disk nor generation time.
/// </summary>
internal sealed class InterchangeGenerator : Stream
{
    private const string Header = "ISA*00*          *00*          *ZZ*HOSPITAL       *ZZ*SUPPLIER       *240131*1200*U*00401*000000001*0*P*>~\nGS*PO*HOSPITAL*SUPPLIER*20240131*1200*1*X*004010~\n";
    private static readonly byte[] Template = BuildTemplate(out ControlOffsets);
    private static readonly int[] ControlOffsets;
    private readonly long _target;
    private readonly byte[] _chunk = new byte[Template.Length * 64];
    private int _chunkLength;
    private int _chunkPosition;
    private long _produced;
    private int _sets;
    private int _stage;

    public InterchangeGenerator(long targetBytes) => _target = targetBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _produced; set => throw new NotSupportedException(); }

    public static void WriteFile(string path, long targetBytes)
    {
        using var file = File.Create(path);
        new InterchangeGenerator(targetBytes).CopyTo(file, 1 << 20);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_chunkPosition == _chunkLength && !Refill())
        {
            return 0;
        }
        var n = Math.Min(count, _chunkLength - _chunkPosition);
        Buffer.BlockCopy(_chunk, _chunkPosition, buffer, offset, n);
        _chunkPosition += n;
        _produced += n;
        return n;
    }

    private bool Refill()
    {
        _chunkPosition = 0;
        _chunkLength = 0;
        switch (_stage)
        {
            case 0:
                _chunkLength = Encoding.Latin1.GetBytes(Header, _chunk);
                _stage = 1;
                return true;
            case 1 when _produced < _target:
                for (var i = 0; i < 64; i++)
                {
                    _sets++;
                    var set = _chunk.AsSpan(_chunkLength, Template.Length);
                    Template.CopyTo(set);
                    foreach (var at in ControlOffsets)
                    {
                        WriteDigits(set.Slice(at, 9), _sets);
                    }
                    _chunkLength += Template.Length;
                }
                return true;
            case 1:
                _chunkLength = Encoding.Latin1.GetBytes($"GE*{_sets}*1~\nIEA*1*000000001~\n", _chunk);
                _stage = 2;
                return true;
            default:
                return false;
        }
    }

    private static void WriteDigits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static byte[] BuildTemplate(out int[] controlOffsets)
    {
        const string Control = "#########";
        var body = new StringBuilder();
        body.Append("ST*850*").Append(Control).Append("~\n");
        body.Append("BEG*00*SA*PO").Append(Control).Append("**20240131~\n");
        body.Append("REF*DP*038~\nPER*BD*JANE BUYER*TE*5555551234~\nFOB*PP~\nITD*01*3*2**30**31~\nDTM*002*20240215~\nTD5*B*2*UPSN*M~\n");
        body.Append("N1*ST*GENERAL HOSPITAL*92*0042~\nN3*1 MAIN STREET~\nN4*SPRINGFIELD*IL*62701~\n");
        for (var line = 1; line <= 8; line++)
        {
            body.Append("PO1*").Append(line).Append("*10*EA*9.95**VN*ITEM-").Append(line).Append("*IN*").Append(100000 + line).Append("~\n");
            body.Append("PID*F****NITRILE GLOVES SIZE M BOX OF 100~\n");
        }
        body.Append("CTT*8~\nSE*29*").Append(Control).Append("~\n");
        var text = body.ToString();
        var offsets = new List<int>();
        for (var at = text.IndexOf(Control, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Control, at + 1, StringComparison.Ordinal))
        {
            offsets.Add(at);
        }
        controlOffsets = [.. offsets];
        return Encoding.Latin1.GetBytes(text);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
