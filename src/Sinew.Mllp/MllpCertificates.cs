using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp;

/// <summary>Loads certificates for MLLP TLS from the files operators are given: PEM pairs, PFX bundles, CA bundles.</summary>
public static class MllpCertificates
{
    /// <summary>Loads a certificate and its private key from PEM files (the key may be in the certificate file when <paramref name="keyPath"/> is null).</summary>
    public static X509Certificate2 FromPemFiles(string certificatePath, string? keyPath = null) =>
        X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

    /// <summary>Loads a certificate and its private key from a PKCS#12 (PFX) file.</summary>
    public static X509Certificate2 FromPfxFile(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password);

    /// <summary>Loads every certificate of a PEM bundle, e.g. the CAs trusted for client certificates.</summary>
    public static X509Certificate2Collection FromPemBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        if (bundle.Count == 0)
        {
            throw new InvalidDataException($"No certificate found in PEM bundle '{path}'.");
        }

        return bundle;
    }
}
