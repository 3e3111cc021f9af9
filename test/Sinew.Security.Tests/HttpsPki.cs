using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Security.Tests;

/// <summary>
/// A throwaway PKI for the HTTPS listener: the partners' CA with Sinew's server certificate (127.0.0.1 / localhost) and
/// three client certificates (two registered as system clients, one not), and a stranger CA with one client certificate.
/// </summary>
internal sealed class HttpsPki
{
    private HttpsPki()
    {
        var now = DateTimeOffset.UtcNow;
        Authority = CreateAuthority("CN=Partners CA, O=Hospital", now);
        Stranger = CreateAuthority("CN=Stranger CA", now);
        Server = Issue(Authority, "CN=localhost", ServerAuthentication, now, withLocalhostNames: true);
        Lab = Issue(Authority, "CN=lab-analyzer, O=Hospital", ClientAuthentication, now);
        Pharmacy = Issue(Authority, "CN=pharmacy-robot, O=Hospital", ClientAuthentication, now);
        Unregistered = Issue(Authority, "CN=unknown-device, O=Hospital", ClientAuthentication, now);
        StrangerLab = Issue(Stranger, "CN=lab-analyzer, O=Hospital", ClientAuthentication, now);
    }

    /// <summary>Made once per test run and shared by the tests of the HTTPS listener.</summary>
    public static HttpsPki Instance { get; } = new();

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Stranger { get; }

    public X509Certificate2 Server { get; }

    /// <summary>Registered by subject as <c>lab-analyzer</c>.</summary>
    public X509Certificate2 Lab { get; }

    /// <summary>Registered by SHA-256 thumbprint as <c>pharmacy-robot</c>.</summary>
    public X509Certificate2 Pharmacy { get; }

    /// <summary>Chains to the partners' CA but no client names it.</summary>
    public X509Certificate2 Unregistered { get; }

    /// <summary>The lab's subject, issued by a CA Sinew does not trust: a device posing as the lab analyzer.</summary>
    public X509Certificate2 StrangerLab { get; }

    /// <summary>The SHA-256 thumbprint as an operator copies it from <c>openssl x509 -fingerprint -sha256</c> (colon-separated).</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Writes the server certificate, its key and the partners' CA as PEM files into <paramref name="directory"/>.</summary>
    public void WritePem(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "sinew.crt"), Server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "sinew.key"), Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "partners-ca.pem"), Authority.ExportCertificatePem() + "\n");
    }

    private static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1");

    private static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2");

    private static X509Certificate2 CreateAuthority(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Reload(request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1)));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, Oid usage, DateTimeOffset now, bool withLocalhostNames = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        if (withLocalhostNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(authority, now.AddDays(-1), now.AddDays(30), serial);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
