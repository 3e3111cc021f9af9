using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Sinew.Mllp;

/// <summary>Server side of the TLS handshake: the server certificate context and, under mutual TLS, the check of client certificates against the configured CAs only.</summary>
internal sealed class MllpServerAuthenticator
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly MllpServerTlsOptions _tls;
    private readonly string _listenerName;
    private readonly ILogger _logger;
    private volatile Current _current;

    public MllpServerAuthenticator(MllpServerTlsOptions tls, string listenerName, ILogger logger)
    {
        _tls = tls;
        _listenerName = listenerName;
        _logger = logger;
        _current = Build(tls.Certificate, tls.Intermediates);
    }

    /// <summary>Options for the next handshake; a replaced certificate applies to connections accepted afterwards.</summary>
    public SslServerAuthenticationOptions AuthenticationOptions => _current.Options;

    /// <summary>The certificate presented to new connections.</summary>
    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>Presents <paramref name="certificate"/> from the next handshake on; open connections keep theirs.</summary>
    public void Replace(X509Certificate2 certificate, X509Certificate2Collection? intermediates) =>
        _current = Build(certificate, intermediates);

    private Current Build(X509Certificate2 certificate, X509Certificate2Collection? intermediates) => new(
        certificate,
        new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
            EnabledSslProtocols = _tls.EnabledProtocols,
            ClientCertificateRequired = _tls.RequireClientCertificate,
            CertificateRevocationCheckMode = _tls.ClientCertificateRevocation,
            RemoteCertificateValidationCallback = _tls.RequireClientCertificate ? Validate : null,
        });

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _logger.LogWarning("Refused TLS client on listener {Listener}: no client certificate", _listenerName);
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_tls.ClientCertificateAuthorities!);
        chain.ChainPolicy.RevocationMode = _tls.ClientCertificateRevocation;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (presentedChain is not null)
        {
            // Intermediates the client sent help build the path; trust still comes only from the custom roots.
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf))
        {
            return true;
        }

        var status = X509ChainStatusFlags.NoError;
        foreach (var element in chain.ChainStatus)
        {
            status |= element.Status;
        }

        _logger.LogWarning("Refused TLS client on listener {Listener}: client certificate chain status {ChainStatus}", _listenerName, status);
        return false;
    }

    private sealed record Current(X509Certificate2 Certificate, SslServerAuthenticationOptions Options);
}
