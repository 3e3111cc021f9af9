namespace Sinew.Engine.Config;

/// <summary>
/// Secrets in configuration are references — <c>env:NAME</c> or <c>file:PATH</c> — never literal text,
/// so channel files can live in git and be shown on screen.
/// </summary>
public static class SecretReference
{
    public readonly record struct Resolution(string? Value, string? Error);

    public static bool IsReference(string text) =>
        text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

    public static Resolution Resolve(string text, string baseDirectory)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text[4..];
            var value = Environment.GetEnvironmentVariable(name);
            return value is null
                ? new Resolution(null, $"environment variable '{name}' is not set")
                : new Resolution(value, null);
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
                return new Resolution(null, $"secret file '{path}' cannot be read: {ex.GetType().Name}");
            }
        }
        return new Resolution(null, "a secret must be a reference (env:NAME or file:PATH), never literal text in the file");
    }
}
