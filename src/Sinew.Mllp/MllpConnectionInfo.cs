using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Sinew.Mllp;

/// <summary>Who is on the other end of an MLLP connection, for the handler to authorize and tag what it receives.</summary>
public sealed class MllpConnectionInfo
{
    internal MllpConnectionInfo(long id, string listenerName, EndPoint? remoteEndPoint, EndPoint? localEndPoint, SslProtocols tlsProtocol, X509Certificate2? clientCertificate)
    {
        Id = id;
        ListenerName = listenerName;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        TlsProtocol = tlsProtocol;
        ClientCertificate = clientCertificate;
    }

    /// <summary>Number of the connection, unique within the listener; safe to log.</summary>
    public long Id { get; }

    /// <summary><see cref="MllpListenerOptions.Name"/> of the listener that accepted the connection.</summary>
    public string ListenerName { get; }

    /// <summary>Address and port of the peer.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Address and port the connection arrived on.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>Negotiated TLS version, or <see cref="SslProtocols.None"/> on a plain connection.</summary>
    public SslProtocols TlsProtocol { get; }

    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsTls => TlsProtocol != SslProtocols.None;

    /// <summary>The validated client certificate under mutual TLS, otherwise null.</summary>
    public X509Certificate2? ClientCertificate { get; }
}
