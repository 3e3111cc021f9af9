using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Testing;

/// <summary>
/// How the tests make their throw-away PKIs: a CA, and certificates it issues for server or client use. One place for the
/// extensions a TLS peer (SslStream, rsyslog's GnuTLS) checks, so every test PKI is built the same way.
/// </summary>
internal static class TestCertificateMaker
{
    public static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1");

    public static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed CA (P-256) with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var selfSigned = request.CreateSelfSigned(notBefore, notAfter);
        return Reload(selfSigned);
    }

    /// <summary>
    /// A certificate with its private key, issued by <paramref name="authority"/> for <paramref name="usage"/>; the
    /// <paramref name="names"/> (DNS names or IP addresses) go into its subject alternative names.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string subject, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        if (names.Length > 0)
        {
            var alternatives = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var address))
                {
                    alternatives.AddIpAddress(address);
                }
                else
                {
                    alternatives.AddDnsName(name);
                }
            }
            request.CertificateExtensions.Add(alternatives.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(authority, notBefore, notAfter, serial);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
