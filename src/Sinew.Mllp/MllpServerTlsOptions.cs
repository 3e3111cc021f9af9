using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp;

/// <summary>TLS for a listener: the server certificate and, for mutual TLS, the authorities client certificates must chain to.</summary>
public sealed record MllpServerTlsOptions
{
    /// <summary>Server certificate with its private key (see <see cref="MllpCertificates"/> to load PEM or PFX files).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediate certificates sent with the server certificate.</summary>
    public X509Certificate2Collection? Intermediates { get; init; }

    /// <summary>Mutual TLS: refuse a client without a certificate that chains to <see cref="ClientCertificateAuthorities"/>.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>The only roots trusted for client certificates (the operating system store is not used).</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>Whether client certificate revocation is checked; off by default because partner CAs rarely publish reachable CRLs.</summary>
    public X509RevocationMode ClientCertificateRevocation { get; init; } = X509RevocationMode.NoCheck;

    /// <summary>Protocols offered; anything below TLS 1.2 is refused by <see cref="MllpListenerOptions.Validate"/>.</summary>
    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    internal void Validate(List<string> problems)
    {
        if (!Certificate.HasPrivateKey)
        {
            problems.Add("Tls.Certificate has no private key.");
        }

        if (RequireClientCertificate && (ClientCertificateAuthorities is null || ClientCertificateAuthorities.Count == 0))
        {
            problems.Add("Tls.ClientCertificateAuthorities must hold at least one CA when Tls.RequireClientCertificate is on.");
        }

        if (!MllpTlsProtocols.AreModern(EnabledProtocols))
        {
            problems.Add($"Tls.EnabledProtocols must be TLS 1.2 and/or TLS 1.3, was {EnabledProtocols}.");
        }
    }
}
