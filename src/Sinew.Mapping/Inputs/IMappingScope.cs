namespace Sinew.Mapping.Inputs;

/// <summary>Where paths are evaluated: a whole message, one record of it, or one repeated element inside a record.</summary>
public interface IMappingScope
{
    /// <summary>The values at <paramref name="path"/> (several for repetitions or collections; none when absent).</summary>
    IReadOnlyList<string> Values(string path);

    /// <summary>The scopes of each occurrence at <paramref name="path"/> (each FT1 segment, each JSON array item, …).</summary>
    IEnumerable<IMappingScope> Each(string path);
}

/// <summary>A path that can never work in this input (bad syntax); reported with the mapping file's name.</summary>
public sealed class MappingException(string message) : Exception(message);
