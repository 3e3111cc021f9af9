using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sinew.X12.Benchmarks;

/// <summary>
/// Writes the complete validation result (issues, locations, messages, set and segment errors, ack codes) of every corpus
/// file, of seeded mutations of each, and of the generated batch, so a change to the validator can be proven to give
/// identical results by comparing two dumps byte for byte.
/// </summary>
internal static class IssueDump
{
    // Bytes that matter to X12: delimiters, digits, letters, spaces, control characters.
    private static readonly byte[] Interesting = "*~:^>|+${\n\r\t 0129AZaz.-"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Converters = { new JsonStringEnumConverter() } };

    public static void Write(string output, int mutationsPerFile)
    {
        using var writer = new StreamWriter(output, append: false, new UTF8Encoding(false));
        foreach (var file in Inputs.CorpusFiles())
        {
            var bytes = File.ReadAllBytes(file);
            var name = Path.GetRelativePath(Inputs.CorpusDirectory, file);
            Dump(writer, name, bytes);
            // Seeded by the file name, so before and after runs see the same mutated inputs.
            var random = new Random(StableSeed(name));
            for (var m = 0; m < mutationsPerFile && bytes.Length > 0; m++)
            {
                Dump(writer, $"{name}#m{m}", Mutate(bytes, random));
            }
        }
        if (File.Exists(Inputs.GeneratedFile))
        {
            var generated = File.ReadAllBytes(Inputs.GeneratedFile);
            Dump(writer, "generated", generated);
            // The first 32 KB (about 30 purchase orders, cut mid-set) mutated many times: the generated shape with errors.
            var head = generated[..Math.Min(generated.Length, 32 * 1024)];
            var random = new Random(850);
            for (var m = 0; m < mutationsPerFile * 10; m++)
            {
                Dump(writer, $"generated-head#m{m}", Mutate(head, random));
            }
        }
    }

    private static void Dump(StreamWriter writer, string name, byte[] bytes)
    {
        var result = new X12Validator(new X12ValidationOptions { MaxRetainedSets = 1000 }).Validate(bytes);
        writer.Write(name);
        writer.Write('\t');
        writer.WriteLine(JsonSerializer.Serialize(result, Json));
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToList();
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            var value = Interesting[random.Next(Interesting.Length)];
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes.Insert(at, value);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    // Duplicate a short run, which repeats segments and elements.
                    var length = Math.Min(1 + random.Next(40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }
        return [.. bytes];
    }

    private static int StableSeed(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }
        return hash;
    }
}
