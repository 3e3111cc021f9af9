using Sinew.Engine.Config;

namespace Sinew.Erp.Tryton;

/// <summary>
/// Where a Tryton server is and who Sinew logs in as; read the same way by the destination, the crosswalk source and
/// any report, so every place that talks to Tryton accepts the same <c>url</c>, <c>database</c>, <c>user</c> and
/// <c>password</c> settings.
/// </summary>
public sealed record TrytonConnection
{
    public TrytonConnection(Uri url, string database, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        Database = database;
        User = user;
        Password = password;
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8000/</c> (always ends with a slash).</summary>
    public Uri Url { get; }

    public string Database { get; }

    public string User { get; }

    /// <summary>The resolved password; never shown by <see cref="ToString"/>.</summary>
    public string Password { get; }

    /// <summary>The JSON-RPC address of the database: <c>{url}/{database}/</c>.</summary>
    public Uri Endpoint => new(Url, Uri.EscapeDataString(Database) + "/");

    /// <summary>
    /// Reads <c>url</c>, <c>database</c>, <c>user</c> and <c>password</c> (a reference, <c>env:</c> or <c>file:</c>;
    /// literal text is refused) from a section; reports every problem on the section and returns null when any.
    /// </summary>
    public static TrytonConnection? Read(ConfigSection settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var urlText = settings.GetString("url", required: true);
        var database = settings.GetString("database", required: true);
        var user = settings.GetString("user", required: true);
        var password = settings.GetSecret("password", required: true);
        Uri? url = null;
        if (urlText is not null
            && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            settings.Error("url", $"'{urlText}' must be an absolute http or https URL, e.g. http://127.0.0.1:8000/");
            url = null;
        }
        if (url is not null && OutboundAddress.Check(url) is { } refusal)
        {
            settings.Error("url", refusal);
            url = null;
        }
        return url is null || database is null || user is null || password is null
            ? null
            : new TrytonConnection(url, database, user, password);
    }

    public override string ToString() => $"{Url}{Database} as {User}";
}
