using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sinew.Engine.Config;

namespace Sinew.Audit.Syslog;

/// <summary>
/// <c>audit.syslog</c> in <c>sinew.yaml</c>: where the audit log is streamed as RFC 5424 over TLS (RFC 5425), the CA the
/// server's certificate must chain to, an optional client certificate for mutual TLS, the APP-NAME and the facility.
/// Checked when read, so <c>sinew validate</c> names a missing file or a bad address before anything starts.
/// </summary>
public sealed record SyslogSettings
{
    /// <summary>Facilities a SIEM expects audit events on (RFC 5424 §6.2.1 codes).</summary>
    private static readonly Dictionary<string, int> Facilities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auth"] = 4, ["authpriv"] = 10, ["security"] = 13,
        ["local0"] = 16, ["local1"] = 17, ["local2"] = 18, ["local3"] = 19,
        ["local4"] = 20, ["local5"] = 21, ["local6"] = 22, ["local7"] = 23,
    };

    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>PEM file of the CA(s) the server certificate must chain to; the system store is not used.</summary>
    public required string CaFile { get; init; }

    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>APP-NAME of every message (1-48 printable ASCII characters).</summary>
    public string AppName { get; init; } = "sinew";

    /// <summary>The facility code (authpriv, 10, by default).</summary>
    public int Facility { get; init; } = 10;

    /// <summary>The server's name as written, e.g. <c>siem.example.org:6514</c>; also the name of the stream's cursor.</summary>
    public string Address => $"{Host}:{Port}";

    /// <summary>Reads <c>audit.syslog</c>; null (with errors reported on <paramref name="section"/>) when it is unusable.</summary>
    public static SyslogSettings? Read(ConfigSection section)
    {
        var address = section.GetString("address", required: true);
        var ca = section.GetString("ca", required: true);
        var certificate = section.GetString("clientCertificate");
        var key = section.GetString("clientKey");
        var appName = section.GetString("appName", "sinew");
        var facility = section.GetChoice("facility", "authpriv", [.. Facilities.Keys]);
        section.ReportUnknown();
        var ok = true;
        string? host = null;
        var port = 0;
        if (address is not null)
        {
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out port) || port is < 1 or > 65535 || address[..colon].Trim('[', ']').Length == 0)
            {
                section.Error("address", $"'{address}' must be host:port, e.g. siem.example.org:6514 (the RFC 5425 TLS port)");
                ok = false;
            }
            else
            {
                host = address[..colon].Trim('[', ']');
            }
        }
        if (appName.Length is 0 or > 48 || appName.Any(c => c is < '!' or > '~'))
        {
            section.Error("appName", $"'{appName}' must be 1-48 printable ASCII characters without spaces (RFC 5424 APP-NAME)");
            ok = false;
        }
        var caPath = ca is null ? null : Path.GetFullPath(ca, section.BaseDirectory);
        if (caPath is not null && !CheckCertificates(section, "ca", caPath))
        {
            ok = false;
        }
        string? certificatePath = null, keyPath = null;
        if (certificate is not null || key is not null)
        {
            if (certificate is null)
            {
                section.Error("clientKey", "is given without clientCertificate; give both for mutual TLS, or neither");
                ok = false;
            }
            else
            {
                certificatePath = Path.GetFullPath(certificate, section.BaseDirectory);
                keyPath = key is null ? null : Path.GetFullPath(key, section.BaseDirectory);
                ok &= CheckClientCertificate(section, certificatePath, keyPath);
            }
        }
        if (!ok || host is null || caPath is null)
        {
            return null;
        }
        return new SyslogSettings
        {
            Host = host,
            Port = port,
            CaFile = caPath,
            ClientCertificateFile = certificatePath,
            ClientKeyFile = keyPath,
            AppName = appName,
            Facility = Facilities[facility],
        };
    }

    /// <summary>The trust anchors, read again at every connection so a renewed CA file is picked up without a restart.</summary>
    public X509Certificate2Collection LoadAuthorities() => ReadBundle(CaFile);

    private static X509Certificate2Collection ReadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new InvalidDataException($"'{path}' holds no PEM certificate");
    }

    /// <summary>The client certificate with its key for mutual TLS, or null when none is configured.</summary>
    public X509Certificate2? LoadClientCertificate() =>
        ClientCertificateFile is null ? null : X509Certificate2.CreateFromPemFile(ClientCertificateFile, ClientKeyFile);

    private static bool CheckCertificates(ConfigSection section, string key, string path)
    {
        if (!File.Exists(path))
        {
            section.Error(key, $"the CA file '{path}' does not exist (PEM, the CA that issued the syslog server's certificate)");
            return false;
        }
        try
        {
            ReadBundle(path);
            return true;
        }
        catch (InvalidDataException ex)
        {
            section.Error(key, ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            section.Error(key, $"cannot read '{path}': {ex.Message}");
            return false;
        }
    }

    private static bool CheckClientCertificate(ConfigSection section, string certificatePath, string? keyPath)
    {
        foreach (var (key, path) in new[] { ("clientCertificate", certificatePath), ("clientKey", keyPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                section.Error(key, $"'{path}' does not exist");
                return false;
            }
        }
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!certificate.HasPrivateKey)
            {
                section.Error("clientKey", "the client certificate has no private key; give clientKey (PEM)");
                return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            section.Error("clientCertificate", $"cannot load the client certificate and key: {ex.Message}");
            return false;
        }
    }
}
