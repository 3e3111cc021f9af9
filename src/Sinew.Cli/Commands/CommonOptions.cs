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

    /// <summary>The credential sent to the admin API: an API key (<c>snw_…</c>) or a bearer token.</summary>
    public static Option<string?> Token() => new("--token")
    {
        Description = "API key (snw_…) or bearer token for the admin API of a Sinew with security on (default $SINEW_TOKEN)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
    };

    /// <summary>
    /// <c>--token</c> on the root command, inherited by every subcommand (<c>sinew messages list --token …</c>), so each
    /// admin command can reach a Sinew with security on.
    /// </summary>
    public static Option<string?> SharedToken { get; } = CreateSharedToken();

    private static Option<string?> CreateSharedToken()
    {
        var option = Token();
        option.Recursive = true;
        return option;
    }

    /// <summary>The environment variable commands read the admin API credential from.</summary>
    public const string TokenVariable = "SINEW_TOKEN";

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>Opens the data folder when <c>--data</c> is given, else the admin API at <c>--url</c>.</summary>
    public static IAdminClient OpenClient(string? data, string url, string? config, string? token = null)
    {
        if (data is not null)
        {
            return LocalAdminClient.Open(data, config);
        }
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri))
        {
            throw new CliException($"--url '{url}' is not an absolute URL");
        }
        return new HttpAdminClient(uri, token ?? Environment.GetEnvironmentVariable(TokenVariable));
    }
}
