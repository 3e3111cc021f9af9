using System.Net;

namespace Sinew.Mllp;

/// <summary>An MLLP listener of a channel that lets the host attach its <see cref="IMllpSenderGate"/> before it starts.</summary>
public interface IMllpGatedSource
{
    /// <summary>The channel the listener feeds.</summary>
    string Channel { get; }

    /// <summary>The configured address, to tell loopback-only listeners from network ones.</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>True when the listener requires a client certificate (mutual TLS), the only way it can identify a sender.</summary>
    bool RequiresClientCertificate { get; }

    /// <summary>Consults <paramref name="gate"/> for every frame from the next start on.</summary>
    void UseGate(IMllpSenderGate gate);
}
