using BenchmarkDotNet.Attributes;

namespace Sinew.X12.Benchmarks;

/// <summary>Parse (segments and elements) and full validation over the X12 corpus mix and a generated batch of 850s.</summary>
[MemoryDiagnoser]
public class X12Benchmarks
{
    private byte[][] _corpus = [];
    private byte[] _generated = [];
    private X12ValidationOptions _options = new();

    /// <summary>Bytes in the corpus mix, for MB/s.</summary>
    public static long CorpusBytes { get; set; }

    /// <summary>Bytes in the generated file, for MB/s.</summary>
    public static long GeneratedBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Inputs.CorpusFiles().Select(File.ReadAllBytes).ToArray();
        _generated = File.ReadAllBytes(Inputs.GeneratedFile);
        // Duplicate detection is per validator; a fresh validator per run keeps every iteration identical.
        _options = new X12ValidationOptions { MaxRetainedSets = 1000 };
    }

    [Benchmark]
    public long ParseCorpus()
    {
        long elements = 0;
        foreach (var file in _corpus)
        {
            elements += Parse(file);
        }
        return elements;
    }

    [Benchmark]
    public long ValidateCorpus()
    {
        long segments = 0;
        foreach (var file in _corpus)
        {
            segments += new X12Validator(_options).Validate(file).SegmentCount;
        }
        return segments;
    }

    [Benchmark]
    public long ParseGenerated() => Parse(_generated);

    [Benchmark]
    public long ValidateGenerated() => new X12Validator(_options).Validate(_generated).SegmentCount;

    // Reads every segment and walks every element, which is what a peer's parse into objects also does.
    internal static long Parse(byte[] bytes)
    {
        using var reader = new X12Reader(new MemoryStream(bytes, writable: false));
        long elements = 0;
        while (reader.Read())
        {
            var segment = reader.Segment.Bytes;
            var separator = reader.Delimiters.Element;
            foreach (var range in segment.Split(separator))
            {
                elements += segment[range].Length > 0 ? 1 : 0;
            }
        }
        return elements;
    }
}
