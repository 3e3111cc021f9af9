using System.Buffers;

namespace Sinew.Mllp;

/// <summary>
/// The MLLP envelope: <c>&lt;VT&gt; payload &lt;FS&gt;&lt;CR&gt;</c>.
/// </summary>
public static class MllpFraming
{
    /// <summary>Start block, vertical tab (0x0B).</summary>
    public const byte StartBlock = 0x0B;

    /// <summary>End block, file separator (0x1C).</summary>
    public const byte EndBlock = 0x1C;

    /// <summary>Carriage return (0x0D) that follows the end block.</summary>
    public const byte CarriageReturn = 0x0D;

    /// <summary>Bytes the envelope adds around a payload.</summary>
    public const int Overhead = 3;

    /// <summary>Writes <paramref name="payload"/> framed into <paramref name="writer"/> without an intermediate copy.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        var span = writer.GetSpan(payload.Length + Overhead);
        span[0] = StartBlock;
        payload.CopyTo(span[1..]);
        span[payload.Length + 1] = EndBlock;
        span[payload.Length + 2] = CarriageReturn;
        writer.Advance(payload.Length + Overhead);
    }
}
