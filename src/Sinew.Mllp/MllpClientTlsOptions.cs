using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp;

/// <summary>TLS for an <see cref="MllpClient"/>: whom to trust and, for mutual TLS, the certificate to present.</summary>
public sealed record MllpClientTlsOptions
{
    /// <summary>Name the server certificate must carry (also sent as SNI); defaults to <see cref="MllpClientOptions.Host"/>.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Client certificate with private key, presented under mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The only roots trusted for the server certificate; null trusts the operating system store.</summary>
    public X509Certificate2Collection? ServerCertificateAuthorities { get; init; }

    /// <summary>Whether the server certificate's revocation is checked.</summary>
    public X509RevocationMode ServerCertificateRevocation { get; init; } = X509RevocationMode.NoCheck;

    /// <summary>Protocols offered; only TLS 1.2 and 1.3 are accepted by validation.</summary>
    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
