using System.Net;
using Sinew.Engine.Config;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.Connectors.Hl7;

/// <summary>Settings shared by the HL7 connectors: addresses, profiles, TLS material.</summary>
internal static class Hl7Settings
{
    public static IPEndPoint? ReadEndPoint(ConfigSection section, string key, bool required)
    {
        var text = section.GetString(key, required);
        if (text is null)
        {
            return null;
        }
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port is > 0 or 0 && text.Contains(':', StringComparison.Ordinal))
        {
            return endPoint;
        }
        section.Error(key, $"'{text}' must be an address and port such as 127.0.0.1:2575 or 0.0.0.0:2575");
        return null;
    }

    /// <summary>The built-in profiles, plus a user folder when <c>profiles</c> names one (relative to the channel file).</summary>
    public static Hl7ProfileSet? ReadProfiles(ConfigSection section)
    {
        var folder = section.GetString("profiles");
        var builtIn = BuiltIn.Value;
        if (folder is null)
        {
            return builtIn;
        }
        var full = Path.GetFullPath(folder, section.BaseDirectory);
        if (!Directory.Exists(full))
        {
            section.Error("profiles", $"folder '{full}' does not exist");
            return null;
        }
        var set = builtIn.WithFolder(full);
        foreach (var issue in set.Issues)
        {
            section.Error("profiles", issue.ToString());
        }
        return set;
    }

    private static readonly Lazy<Hl7ProfileSet> BuiltIn = new(Hl7ProfileSet.LoadBuiltIn);

    public static MllpServerTlsOptions? ReadServerTls(ConfigSection parent)
    {
        if (parent.GetSection("tls") is not { } tls)
        {
            return null;
        }
        var certificate = tls.GetString("certificate", required: true);
        var key = tls.GetString("key");
        var password = tls.Has("password") ? tls.GetSecret("password") : null;
        var clientCa = tls.GetString("clientCa");
        var requireClient = tls.GetBool("requireClientCertificate", clientCa is not null);
        tls.ReportUnknown();
        if (certificate is null)
        {
            return null;
        }
        try
        {
            var certPath = Path.GetFullPath(certificate, tls.BaseDirectory);
            var cert = certPath.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certPath.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? MllpCertificates.FromPfxFile(certPath, password)
                : MllpCertificates.FromPemFiles(certPath, key is null ? null : Path.GetFullPath(key, tls.BaseDirectory));
            return new MllpServerTlsOptions
            {
                Certificate = cert,
                RequireClientCertificate = requireClient,
                ClientCertificateAuthorities = clientCa is null ? null : MllpCertificates.FromPemBundle(Path.GetFullPath(clientCa, tls.BaseDirectory)),
            };
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            tls.Error("certificate", $"cannot load the certificate: {ex.Message}");
            return null;
        }
    }

    public static MllpClientTlsOptions? ReadClientTls(ConfigSection parent, string host)
    {
        if (parent.GetSection("tls") is not { } tls)
        {
            return null;
        }
        var serverCa = tls.GetString("serverCa");
        var certificate = tls.GetString("certificate");
        var key = tls.GetString("key");
        var targetHost = tls.GetString("targetHost", host);
        tls.ReportUnknown();
        try
        {
            return new MllpClientTlsOptions
            {
                TargetHost = targetHost,
                ServerCertificateAuthorities = serverCa is null ? null : MllpCertificates.FromPemBundle(Path.GetFullPath(serverCa, tls.BaseDirectory)),
                ClientCertificate = certificate is null ? null : MllpCertificates.FromPemFiles(Path.GetFullPath(certificate, tls.BaseDirectory), key is null ? null : Path.GetFullPath(key, tls.BaseDirectory)),
            };
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            tls.Error("certificate", $"cannot load TLS material: {ex.Message}");
            return null;
        }
    }

    /// <summary>A short, content-free summary of the worst issues, for the journal and the exception queue.</summary>
    public static string Summarize(IReadOnlyList<Hl7Issue> issues)
    {
        var worst = issues.Where(i => i.Severity >= Hl7Severity.Error).Take(3).Select(i => i.ToString()).ToList();
        if (worst.Count == 0)
        {
            return "rejected";
        }
        var more = issues.Count(i => i.Severity >= Hl7Severity.Error) - worst.Count;
        return string.Join("; ", worst) + (more > 0 ? $"; and {more} more" : "");
    }
}
