namespace Sinew.Engine.Config;

/// <summary>
/// Secrets in configuration are references — <c>env:NAME</c> or <c>file:PATH</c> — never literal text,
/// so channel files can live in git and be shown on screen.
/// </summary>
public static class SecretReference
{
    private static readonly AsyncLocal<bool> Offline = new();

    public readonly record struct Resolution(string? Value, string? Error);

    /// <summary>
    /// For work that never connects anywhere (<c>sinew test</c> running mapping examples): while the returned scope is
    /// open, a well-formed reference that cannot be resolved here (an unset variable, a missing file) resolves to an
    /// empty value instead of an error. Literal secrets are still refused.
    /// </summary>
    public static IDisposable UnresolvedAllowed()
    {
        var scope = new Scope(Offline.Value);
        Offline.Value = true;
        return scope;
    }

    public static bool IsReference(string text) =>
        text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

    public static Resolution Resolve(string text, string baseDirectory)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text[4..];
            var value = Environment.GetEnvironmentVariable(name);
            return value is not null ? new Resolution(value, null)
                : Offline.Value ? new Resolution("", null)
                : new Resolution(null, $"environment variable '{name}' is not set");
        }
        if (text.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(text[5..], baseDirectory);
            try
            {
                return new Resolution(File.ReadAllText(path).TrimEnd('\r', '\n'), null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Offline.Value ? new Resolution("", null) : new Resolution(null, $"secret file '{path}' cannot be read: {ex.GetType().Name}");
            }
        }
        return new Resolution(null, "a secret must be a reference (env:NAME or file:PATH), never literal text in the file");
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => Offline.Value = previous;
    }
}
