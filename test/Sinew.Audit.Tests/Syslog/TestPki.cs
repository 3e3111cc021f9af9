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
        var (from, until) = (DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var ca = TestCertificateMaker.CreateAuthority("CN=Sinew test syslog CA " + Guid.NewGuid().ToString("N")[..8], from, until);
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        using var server = TestCertificateMaker.Issue(ca, "CN=" + serverNames[0], TestCertificateMaker.ServerAuthentication, from, until, serverNames);
        Write(server, pki.ServerCertificateFile, pki.ServerKeyFile);
        using var client = TestCertificateMaker.Issue(ca, "CN=sinew-audit-client", TestCertificateMaker.ClientAuthentication, from, until);
        Write(client, pki.ClientCertificateFile, pki.ClientKeyFile);
        return pki;
    }

    private static void Write(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }
}
