using System.Net;
using System.Net.Sockets;

namespace Sinew.Engine.Config;

/// <summary>
/// Guards URLs taken from configuration against server-side request forgery: link-local addresses (169.254/16,
/// fe80::/10) and cloud metadata endpoints are refused unless a destination explicitly allows them — as written in
/// the URL (also IPv4 hidden in IPv6, <c>[::ffff:169.254.169.254]</c>) and, through <see cref="CreateHandler"/>, after
/// DNS resolution, so a name that resolves to the metadata service is refused at connect time too.
/// </summary>
public static class OutboundAddress
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private static readonly string[] MetadataNames = ["metadata.google.internal", "metadata.goog", "metadata"];

    /// <summary>True for a link-local or cloud metadata address.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetwork
            ? address.GetAddressBytes() is [169, 254, ..]
            : address.IsIPv6LinkLocal || address.Equals(AwsMetadataV6);
    }

    /// <summary>Why <paramref name="url"/> is refused (its literal address or a metadata host name), or null when it may be used.</summary>
    public static string? Check(Uri url)
    {
        if (IPAddress.TryParse(url.IdnHost, out var address) ? IsForbidden(address) : MetadataNames.Contains(url.IdnHost.TrimEnd('.'), StringComparer.OrdinalIgnoreCase))
        {
            return "link-local and cloud metadata addresses are refused (set allowLinkLocal: true on the destination if this is really meant)";
        }
        return null;
    }

    /// <summary>An HTTP handler that refuses to connect to a forbidden address, whatever name led there.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowLinkLocal = false) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = allowLinkLocal ? null : ConnectAsync,
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => !IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{context.DnsEndPoint.Host} resolves only to link-local or metadata addresses, which are refused");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
