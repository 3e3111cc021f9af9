using System.Text;

namespace Sinew.X12;

/// <summary>Segment identifiers packed into integers so hot paths compare numbers, not strings.</summary>
public static class X12SegmentId
{
    public static readonly int Isa = Key("ISA"u8);
    public static readonly int Iea = Key("IEA"u8);
    public static readonly int Gs = Key("GS"u8);
    public static readonly int Ge = Key("GE"u8);
    public static readonly int St = Key("ST"u8);
    public static readonly int Se = Key("SE"u8);
    public static readonly int Ta1 = Key("TA1"u8);

    /// <summary>Packs an identifier of one to three bytes; longer or empty identifiers give -1, which matches nothing.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Key(ReadOnlySpan<byte> id) => id.Length switch
    {
        1 => id[0],
        2 => id[0] | (id[1] << 8),
        3 => id[0] | (id[1] << 8) | (id[2] << 16),
        _ => -1,
    };

    /// <summary>Packs an identifier given as text.</summary>
    public static int Key(string id) => Key(Encoding.Latin1.GetBytes(id));

    /// <summary>True when the identifier is two or three upper-case letters or digits, starting with a letter.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> id)
    {
        if (id.Length is < 2 or > 3 || (uint)(id[0] - 'A') > 'Z' - 'A')
        {
            return false;
        }
        foreach (var b in id)
        {
            if ((uint)(b - 'A') > 'Z' - 'A' && (uint)(b - '0') > 9)
            {
                return false;
            }
        }
        return true;
    }
}
