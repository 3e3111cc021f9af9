using System.Net;
using System.Net.Sockets;

namespace Sinew.Testing;

/// <summary>Loopback ports for the servers tests start, so parallel runs never collide.</summary>
/// <remarks>
/// A port is taken from below the kernel's ephemeral range (<c>ip_local_port_range</c>), never from it: a port the kernel
/// handed out for "port 0" and that the test then frees can be given at once to another test's outgoing connection as its
/// local port, and the server started on it fails with "Address already in use" (seen in CI). Ports below the range are
/// only ever taken by someone who asks for them by number. Each port is handed out once per process, picked at random so
/// that test assemblies running at the same time rarely try the same one, and checked free on every address first.
/// </remarks>
internal static class Ports
{
    private static readonly HashSet<int> s_given = [];
    private static readonly (int Low, int High) s_range = Range();

    /// <summary>A port that was free on every address a moment ago, outside the range the kernel picks from.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(s_range.Low, s_range.High);
            lock (s_given)
            {
                if (!s_given.Add(port))
                {
                    continue;
                }
            }
            if (CanBind(port))
            {
                return port;
            }
        }
        // Never seen; fall back to what the kernel gives.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports below the ephemeral range, above the well-known ones; the whole unprivileged range when the ephemeral one leaves no room.</summary>
    private static (int Low, int High) Range()
    {
        var ephemeralLow = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or no /proc: keep the usual default.
        }
        return ephemeralLow > 12_000 ? (10_000, ephemeralLow) : (1_024, 65_535);
    }
}
