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
        Authority = TestCertificateMaker.CreateAuthority("CN=Sinew Test CA", now.AddDays(-30), now.AddYears(1));
        Stranger = TestCertificateMaker.CreateAuthority("CN=Stranger CA", now.AddDays(-30), now.AddYears(1));
        Server = TestCertificateMaker.Issue(Authority, "CN=localhost", TestCertificateMaker.ServerAuthentication, now.AddDays(-1), now.AddDays(30), "localhost", "127.0.0.1");
        RenewedServer = TestCertificateMaker.Issue(Authority, "CN=localhost", TestCertificateMaker.ServerAuthentication, now.AddDays(-1), now.AddDays(90), "localhost", "127.0.0.1");
        Client = TestCertificateMaker.Issue(Authority, "CN=lab-analyzer", TestCertificateMaker.ClientAuthentication, now.AddDays(-1), now.AddDays(30));
        ExpiredClient = TestCertificateMaker.Issue(Authority, "CN=expired-analyzer", TestCertificateMaker.ClientAuthentication, now.AddDays(-20), now.AddDays(-10));
        StrangerClient = TestCertificateMaker.Issue(Stranger, "CN=stranger-analyzer", TestCertificateMaker.ClientAuthentication, now.AddDays(-1), now.AddDays(30));
    }

    public static TestCertificates Instance => Shared.Value;

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Stranger { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 RenewedServer { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 ExpiredClient { get; }

    public X509Certificate2 StrangerClient { get; }

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
}
