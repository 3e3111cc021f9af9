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
        var (from, until) = (now.AddDays(-1), now.AddDays(30));
        Authority = TestCertificateMaker.CreateAuthority("CN=Partners CA, O=Hospital", now.AddDays(-30), now.AddYears(1));
        Stranger = TestCertificateMaker.CreateAuthority("CN=Stranger CA", now.AddDays(-30), now.AddYears(1));
        Server = TestCertificateMaker.Issue(Authority, "CN=localhost", TestCertificateMaker.ServerAuthentication, from, until, "localhost", "127.0.0.1");
        Lab = TestCertificateMaker.Issue(Authority, "CN=lab-analyzer, O=Hospital", TestCertificateMaker.ClientAuthentication, from, until);
        Pharmacy = TestCertificateMaker.Issue(Authority, "CN=pharmacy-robot, O=Hospital", TestCertificateMaker.ClientAuthentication, from, until);
        Unregistered = TestCertificateMaker.Issue(Authority, "CN=unknown-device, O=Hospital", TestCertificateMaker.ClientAuthentication, from, until);
        StrangerLab = TestCertificateMaker.Issue(Stranger, "CN=lab-analyzer, O=Hospital", TestCertificateMaker.ClientAuthentication, from, until);
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
}
