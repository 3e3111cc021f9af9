using System.Security.Authentication;

namespace Sinew.Mllp;

internal static class MllpTlsProtocols
{
    public const SslProtocols Modern = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static bool AreModern(SslProtocols protocols) => protocols != SslProtocols.None && (protocols & ~Modern) == 0;
}
