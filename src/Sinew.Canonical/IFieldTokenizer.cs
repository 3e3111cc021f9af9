namespace Sinew.Canonical;

/// <summary>Replaces a sensitive value by a token that stands for it (same value, same token for one key version).</summary>
public interface IFieldTokenizer
{
    /// <summary>The token for <paramref name="value"/>, e.g. <c>tok:v1:…</c>; never returns the value itself.</summary>
    string Tokenize(string value);
}
