using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Sinew.Security;

/// <summary>
/// Binds the <c>https://</c> <c>http.listen</c> address with TLS from <c>security.https</c> explicitly. The host is a slim
/// builder, which does not turn an https URL into a TLS endpoint by itself (Kestrel refuses to start with "Call
/// UseKestrelHttpsConfiguration()"), so the endpoint is declared here, where the certificate is known.
/// </summary>
internal static class HttpsListener
{
    /// <summary>Listens on <paramref name="listen"/> (<c>https://host:port</c>: an IP address, <c>localhost</c>, <c>*</c> or <c>+</c>) with <paramref name="configure"/>.</summary>
    public static void Bind(KestrelServerOptions kestrel, string listen, Action<HttpsConnectionAdapterOptions> configure)
    {
        var (host, port) = Parse(listen);
        if (host is "*" or "+")
        {
            kestrel.ListenAnyIP(port, l => l.UseHttps(configure));
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, l => l.UseHttps(configure));
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), port, l => l.UseHttps(configure));
        }
    }

    /// <summary>Null when <paramref name="listen"/> can be bound; else what is wrong with it.</summary>
    public static string? Problem(string listen)
    {
        try
        {
            var (host, port) = Parse(listen);
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && port == 0)
            {
                return $"security: http.listen {listen}: port 0 (any free port) needs an IP address such as 127.0.0.1, not localhost";
            }
            return host is "*" or "+" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _)
                ? null
                : $"security: http.listen {listen}: the host must be an IP address, localhost, * or + (Kestrel binds addresses, not names)";
        }
        catch (FormatException ex)
        {
            return $"security: http.listen {listen}: {ex.Message}";
        }
    }

    private static (string Host, int Port) Parse(string listen)
    {
        var text = listen["https://".Length..].TrimEnd('/');
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.EndsWith(']') || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException("give host and port, e.g. https://0.0.0.0:8443");
        }
        var host = text[..colon];
        return (host.StartsWith('[') ? host.Trim('[', ']') : host, port);
    }
}
