using System.Net;
using System.Net.Sockets;

namespace Sinew.Testing;

/// <summary>Loopback ports for the servers tests start, so parallel runs never collide.</summary>
internal static class Ports
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
