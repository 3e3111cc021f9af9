using System.Text;
using CsCheck;

namespace Sinew.Hl7v2.Tests;

public sealed class EscapingTests
{
    private static readonly Hl7Delimiters Standard = Hl7Delimiters.Standard;

    private static string Decode(string raw, Hl7TextEncoding? encoding = null) =>
        Hl7Escaping.Decode(Encoding.UTF8.GetBytes(raw), Standard with { Truncation = (byte)'#' }, encoding ?? Hl7TextEncoding.Utf8);

    [Theory]
    [InlineData(@"A\F\B", "A|B")]
    [InlineData(@"A\S\B", "A^B")]
    [InlineData(@"A\T\B", "A&B")]
    [InlineData(@"A\R\B", "A~B")]
    [InlineData(@"A\E\B", @"A\B")]
    [InlineData(@"A\P\B", "A#B")]
    [InlineData(@"line1\.br\line2", "line1\nline2")]
    [InlineData(@"\X41424344\", "ABCD")]
    [InlineData(@"caf\XC3A9\", "café")]
    [InlineData(@"\H\bold\N\", @"\H\bold\N\")]
    [InlineData(@"\.sp2\", @"\.sp2\")]
    [InlineData(@"\C2842\x", @"\C2842\x")]
    [InlineData(@"\M2442\x", @"\M2442\x")]
    [InlineData(@"unterminated\F", @"unterminated\F")]
    [InlineData(@"\XZZ\", @"\XZZ\")]
    public void Decode_EscapeSequence_GivesExactText(string raw, string expected)
    {
        Assert.Equal(expected, Decode(raw));
    }

    [Theory]
    [InlineData("A|B^C&D~E\\F", @"A\F\B\S\C\T\D\R\E\E\F")]
    [InlineData("x\ny", @"x\.br\y")]
    [InlineData("x\ry", @"x\X0D\y")]
    [InlineData("tab\there", @"tab\X09\here")]
    public void Encode_SpecialCharacters_AreEscaped(string text, string expected)
    {
        var bytes = Hl7Escaping.Encode(text, Standard, Hl7TextEncoding.Utf8);

        Assert.Equal(expected, Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Encode_NonAsciiInAsciiMessage_UsesHexEscapeOfUtf8()
    {
        var bytes = Hl7Escaping.Encode("é", Standard, Hl7TextEncoding.Ascii);

        Assert.Equal(@"\XC3A9\", Encoding.ASCII.GetString(bytes));
        Assert.Equal("é", Hl7Escaping.Decode(bytes, Standard, Hl7TextEncoding.Ascii));
    }

    [Fact]
    public void Encode_CharacterOutsideLatin1InLatin1Message_Throws()
    {
        Assert.Throws<ArgumentException>(() => Hl7Escaping.Encode("李", Standard, Hl7TextEncoding.Latin1));
    }

    private static readonly Gen<string> Text =
        Gen.Frequency(
            (6, (IGen<char>)Gen.Char['a', 'z']),
            (2, (IGen<char>)Gen.OneOf('|', '^', '~', '\\', '&', '#', '\n', '\r', '\t', ' ', '.', 'X', 'F')),
            (1, (IGen<char>)Gen.Char['\u00A0', '\u024F']),
            (1, (IGen<char>)Gen.Char['\u4E00', '\u4E40']))
        .Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<Hl7Delimiters> Delimiters =
        Gen.Shuffle(new[] { '|', '^', '~', '\\', '&', '#', '*', '!', '$', '%', '@', ':', ';', '?', '+' }).Select(c =>
            new Hl7Delimiters((byte)c[0], (byte)c[1], (byte)c[2], (byte)c[3], (byte)c[4], (byte)c[5]));

    [Fact]
    public void DecodeOfEncode_AnyTextAnyDelimitersAnyCharset_GivesTheTextBack()
    {
        Gen.Select(Text, Delimiters, Gen.OneOf(Hl7TextEncoding.Utf8, Hl7TextEncoding.Ascii), (t, d, e) => (t, d, e)).Sample(((string text, Hl7Delimiters delimiters, Hl7TextEncoding encoding) c) =>
        {
            var (text, delimiters, encoding) = c;
            var encoded = Hl7Escaping.Encode(text, delimiters, encoding);

            Assert.Equal(-1, encoded.AsSpan().IndexOfAny([delimiters.Field, delimiters.Component, delimiters.Repetition, delimiters.SubComponent, (byte)'\r', (byte)'\n']));
            Assert.Equal(text, Hl7Escaping.Decode(encoded, delimiters, encoding));
        });
    }
}
