using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp.Tests;

/// <summary>A throwaway PKI made per test run: a trusted CA, a stranger CA, and server and client certificates.</summary>
internal sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(() => new TestCertificates());

    private TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        Authority = CreateAuthority("CN=Sinew Test CA", now);
        Stranger = CreateAuthority("CN=Stranger CA", now);
        Server = Issue(Authority, "CN=localhost", ServerAuthentication, now.AddDays(-1), now.AddDays(30), withLocalhostNames: true);
        RenewedServer = Issue(Authority, "CN=localhost", ServerAuthentication, now.AddDays(-1), now.AddDays(90), withLocalhostNames: true);
        Client = Issue(Authority, "CN=lab-analyzer", ClientAuthentication, now.AddDays(-1), now.AddDays(30));
        ExpiredClient = Issue(Authority, "CN=expired-analyzer", ClientAuthentication, now.AddDays(-20), now.AddDays(-10));
        StrangerClient = Issue(Stranger, "CN=stranger-analyzer", ClientAuthentication, now.AddDays(-1), now.AddDays(30));
    }

    public static TestCertificates Instance => Shared.Value;

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Stranger { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 RenewedServer { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 ExpiredClient { get; }

    public X509Certificate2 StrangerClient { get; }

    private static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1");

    private static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2");

    /// <summary>Writes the server certificate, its key and the CA bundle as PEM files, as an operator would receive them.</summary>
    public (string Certificate, string Key, string CaBundle) WriteServerPem(string directory)
    {
        var certificate = Path.Combine(directory, "server.crt");
        var key = Path.Combine(directory, "server.key");
        var bundle = Path.Combine(directory, "ca-bundle.pem");
        File.WriteAllText(certificate, Server.ExportCertificatePem());
        File.WriteAllText(key, Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(bundle, Authority.ExportCertificatePem() + "\n");
        return (certificate, key, bundle);
    }

    private static X509Certificate2 CreateAuthority(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Reload(request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1)));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter, bool withLocalhostNames = false)
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
        using var certificate = request.Create(authority, notBefore, notAfter, serial);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
