using System.Text;
using CsCheck;

namespace Sinew.Hl7v2.Tests;

public sealed class PropertyRoundTripTests
{
    private static readonly Gen<Hl7Delimiters> Delimiters =
        Gen.Shuffle(new[] { '|', '^', '~', '\\', '&', '#', '*', '!', '$', '%', '@', ':', ';', '?', '+', '=' }).Select(c =>
            new Hl7Delimiters((byte)c[0], (byte)c[1], (byte)c[2], (byte)c[3], (byte)c[4], (byte)c[5]));

    private static readonly Gen<string> Text =
        Gen.Frequency((8, (IGen<char>)Gen.Char['A', 'z']), (3, (IGen<char>)Gen.OneOf('|', '^', '~', '\\', '&', '#', '*', '!', '\n', ' ', 'é')))
            .Array[0, 12].Select(chars => new string(chars));

    private static readonly Gen<(string Segment, int Field, int Repetition, int Component, int Sub, string Text)[]> Values =
        Gen.Select(Gen.OneOf("PID", "PV1", "OBX", "ZZ1"), Gen.Int[1, 12], Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[0, 2], Text,
            (segment, field, repetition, component, sub, text) => (segment, field, repetition, component, sub, text)).Array[1, 25];

    [Fact]
    public void RandomMessage_WithRandomDelimitersAndEscapes_RoundTripsBytesAndValues()
    {
        Gen.Select(Delimiters, Values, Gen.OneOf("\r", "\n", "\r\n"), (d, v, t) => (d, v, t)).Sample(((Hl7Delimiters delimiters, (string, int, int, int, int, string)[] values, string terminator) c) =>
        {
            var (delimiters, values, terminator) = c;
            var built = Hl7Message.Create("ADT^A01^ADT_A01", "C1", "2.7", delimiters: delimiters);
            var expected = new Dictionary<string, string>();
            foreach (var (segment, field, repetition, component, sub, text) in values)
            {
                var path = Hl7Path.Create(segment, field, repetition, component, sub);
                if (built.FindSegment(path) < 0)
                {
                    built.AddSegment(segment);
                }
                built.Set(path, text);
                RemoveOverlapping(expected, segment, field, repetition, component, sub);
                expected[path.ToString()] = text;
            }
            var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(built.ToArray()).Replace("\r", terminator, StringComparison.Ordinal));

            var parsed = Hl7Message.Parse(bytes).Message!;

            Assert.Equal(bytes, parsed.ToArray());
            foreach (var (path, text) in expected)
            {
                Assert.Equal(text, parsed.Get(Hl7Path.Parse(path)).ToString());
            }
        });
    }

    private static void RemoveOverlapping(Dictionary<string, string> expected, string segment, int field, int repetition, int component, int sub)
    {
        foreach (var key in expected.Keys.ToList())
        {
            var p = Hl7Path.Parse(key);
            if (p.Segment != segment || p.Field != field || p.Repetition != repetition)
            {
                continue;
            }
            if (p.Component == component && (p.SubComponent == sub || p.SubComponent == 0 || sub == 0))
            {
                expected.Remove(key);
            }
        }
    }
}
