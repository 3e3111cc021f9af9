using System.CommandLine;

namespace Sinew.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static Option<string> Config() => new("--config", "-c")
    {
        Description = "Configuration folder (sinew.yaml and channels/); default: $SINEW_CONFIG or samples/quickstart",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SINEW_CONFIG") ?? Path.Combine("samples", "quickstart"),
    };

    public static Option<string?> Data() => new("--data", "-d")
    {
        Description = "Data folder; with it, the command reads the journal directly instead of asking a running Sinew",
    };

    public static Option<string> Url() => new("--url")
    {
        Description = $"Admin API of a running Sinew (default {DefaultUrl})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SINEW_URL") ?? DefaultUrl,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>Opens the data folder when <c>--data</c> is given, else the admin API at <c>--url</c>.</summary>
    public static IAdminClient OpenClient(string? data, string url, string? config)
    {
        if (data is not null)
        {
            return LocalAdminClient.Open(data, config);
        }
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri))
        {
            throw new CliException($"--url '{url}' is not an absolute URL");
        }
        return new HttpAdminClient(uri);
    }
}
