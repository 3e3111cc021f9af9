using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Audit.Tests.Syslog;

/// <summary>
/// A throw-away CA with a server certificate (for the names given) and a client certificate, made in the test and written
/// as PEM files to a folder; no key is ever committed.
/// </summary>
internal sealed class TestPki
{
    private TestPki(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaFile => Path.Combine(Folder, "ca.pem");

    public string ServerCertificateFile => Path.Combine(Folder, "server.pem");

    public string ServerKeyFile => Path.Combine(Folder, "server-key.pem");

    public string ClientCertificateFile => Path.Combine(Folder, "client.pem");

    public string ClientKeyFile => Path.Combine(Folder, "client-key.pem");

    /// <summary>Creates the CA and both certificates; the server's is issued for <paramref name="serverNames"/> (DNS names or IP addresses).</summary>
    public static TestPki Create(string folder, params string[] serverNames)
    {
        Directory.CreateDirectory(folder);
        var pki = new TestPki(folder);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Sinew test syslog CA " + Guid.NewGuid().ToString("N")[..8], caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in serverNames)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(name);
            }
        }
        Issue(ca, caKey, "CN=" + serverNames[0], names.Build(), "1.3.6.1.5.5.7.3.1", pki.ServerCertificateFile, pki.ServerKeyFile, now, 2);
        Issue(ca, caKey, "CN=sinew-audit-client", null, "1.3.6.1.5.5.7.3.2", pki.ClientCertificateFile, pki.ClientKeyFile, now, 3);
        return pki;
    }

    private static void Issue(X509Certificate2 ca, ECDsa caKey, string subject, X509Extension? names, string usage, string certificateFile, string keyFile, DateTimeOffset now, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(1), [serial, .. RandomNumberGenerator.GetBytes(8)]);
        File.WriteAllText(certificateFile, issued.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
