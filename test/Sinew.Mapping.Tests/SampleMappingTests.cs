namespace Sinew.Mapping.Tests;

/// <summary>The shipped sample mappings pass their own examples, the way <c>sinew test</c> runs them.</summary>
public sealed class SampleMappingTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var mapping in Directory.EnumerateFiles(Repo.Samples, "*.yaml", SearchOption.AllDirectories).Where(f => Directory.Exists(Path.ChangeExtension(f, ".examples"))))
        {
            foreach (var input in MappingExamples.Inputs(Repo.Load(mapping)))
            {
                data.Add(Path.GetRelativePath(Repo.Samples, input));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void SampleExample_MapsToItsExpectedOutput(string example)
    {
        var input = Path.Combine(Repo.Samples, example);
        var folder = Path.GetDirectoryName(input)!;
        var mappingFile = folder[..^".examples".Length] + ".yaml";
        var mapper = new Mapper(Repo.Load(mappingFile));

        var differences = MappingExamples.Run(mapper, input);

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public void SampleExamples_ThereAreSome()
    {
        Assert.True(Examples().Count >= 5);
    }
}
