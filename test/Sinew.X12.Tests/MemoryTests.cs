using System.Diagnostics;
using System.Text;

namespace Sinew.X12.Tests;

public sealed class MemoryTests
{
    [Fact]
    public void Validate_100MbInterchangeOfPurchaseOrders_StaysUnder200Mb()
    {
        AssertBoundedMemory(100L << 20);
    }

    [Fact]
    public void Validate_1GbInterchangeOfPurchaseOrders_StaysUnder200Mb()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("SINEW_SLOW_TESTS") == "1", "takes minutes; set SINEW_SLOW_TESTS=1 to run it");
        AssertBoundedMemory(1L << 30);
    }

    private static void AssertBoundedMemory(long size)
    {
        GC.Collect();
        var stream = new GeneratedInterchangeStream(size);
        var result = new X12Validator(new X12ValidationOptions { MaxRetainedSets = 1000 }).Validate(stream);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        Assert.False(result.HasErrors, string.Join("\n", result.Issues.Take(5)));
        Assert.Equal(stream.Sets, result.Interchanges[0].Groups[0].SetsAccepted);
        Assert.True(result.ByteCount >= size);
        Assert.True(peak < 200L << 20, $"peak working set {peak >> 20} MB");
    }
}

/// <summary>An interchange of many 850s produced on the fly, so a 1 GB input needs no disk and no 1 GB array.</summary>
internal sealed class GeneratedInterchangeStream(long targetSize) : Stream
{
    private readonly MemoryStream _chunk = new();
    private long _produced;
    private bool _trailerWritten;

    public int Sets { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _produced; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_chunk.Position == _chunk.Length)
        {
            if (!Refill())
            {
                return 0;
            }
        }
        var n = _chunk.Read(buffer, offset, count);
        _produced += n;
        return n;
    }

    private bool Refill()
    {
        _chunk.SetLength(0);
        if (_produced == 0 && Sets == 0)
        {
            Append(Fixtures.Isa4010 + "\nGS*PO*BUYER*SUPPLIER*20240131*1200*1*X*004010~\n");
        }
        if (_produced + _chunk.Length < targetSize)
        {
            for (var i = 0; i < 64; i++)
            {
                Sets++;
                var control = Sets.ToString("D9");
                Append(Fixtures.Po850Body.Replace("0001", control).Replace("PO-1001", "PO-" + control).Replace("~", "~\n"));
            }
        }
        else if (!_trailerWritten)
        {
            _trailerWritten = true;
            Append($"GE*{Sets}*1~\nIEA*1*000000001~\n");
        }
        else
        {
            return false;
        }
        _chunk.Position = 0;
        return true;
    }

    private void Append(string text) => _chunk.Write(Encoding.Latin1.GetBytes(text));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
