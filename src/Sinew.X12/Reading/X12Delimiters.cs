namespace Sinew.X12;

/// <summary>The four separators an interchange declares in its ISA segment, as single bytes.</summary>
/// <param name="Element">Data element separator, the byte after "ISA".</param>
/// <param name="Component">Component element separator, ISA16.</param>
/// <param name="Segment">Segment terminator, the byte after ISA16.</param>
/// <param name="Repetition">Repetition separator, ISA11 from version 00402 on; 0 when the interchange has none.</param>
public readonly record struct X12Delimiters(byte Element, byte Component, byte Segment, byte Repetition)
{
    /// <summary>The common choice: <c>*</c>, <c>:</c>, <c>~</c> and <c>^</c>.</summary>
    public static X12Delimiters Default { get; } = new((byte)'*', (byte)':', (byte)'~', (byte)'^');

    /// <summary>True when the four bytes are distinct (ignoring an absent repetition separator) and none is a letter or digit.</summary>
    public bool AreValid
    {
        get
        {
            if (IsAlphanumeric(Element) || IsAlphanumeric(Component) || IsAlphanumeric(Segment))
            {
                return false;
            }
            if (Element == Component || Element == Segment || Component == Segment)
            {
                return false;
            }
            return Repetition == 0 || (!IsAlphanumeric(Repetition) && Repetition != Element && Repetition != Component && Repetition != Segment);
        }
    }

    internal static bool IsAlphanumeric(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
