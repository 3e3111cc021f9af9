using System.Net;
using Sinew.Engine.Config;
using Sinew.Engine.Sources;
using Sinew.Fhir;
using Sinew.Mllp;

namespace Sinew.Security;

/// <summary>
/// The loopback rule: Sinew may run without authentication only while nothing listens beyond this machine. Also
/// checks that, with security on, every network listener can identify its senders.
/// </summary>
public static class ExposureCheck
{
    public const string HowToConfigure =
        "add a security: section to sinew.yaml (oidc: for people, clients: or API keys for systems; see docs/security.md), or listen on 127.0.0.1 only";

    /// <summary>Every problem with how <paramref name="config"/> exposes Sinew; empty when it may start.</summary>
    public static IReadOnlyList<string> Problems(SinewConfig config)
    {
        var options = config.Section<SecurityOptions>("security") ?? SecurityOptions.Open;
        var problems = new List<string>();
        var httpLoopback = IsLoopback(config.HttpListen);
        var httpChannels = config.Channels.Where(c => c.Source is HttpSource or FhirSource).Select(c => c.Name).ToList();
        var mllp = config.Channels.Select(c => c.Source).OfType<IMllpGatedSource>().ToList();
        if (!options.Enforced)
        {
            if (!httpLoopback)
            {
                problems.Add($"security: the HTTP listener (http.listen {config.HttpListen}) is reachable from the network{(httpChannels.Count > 0 ? $" and takes messages for {string.Join(", ", httpChannels)}" : "")}, but no authentication is configured: {HowToConfigure}");
            }
            foreach (var source in mllp.Where(s => !IPAddress.IsLoopback(s.EndPoint.Address)))
            {
                problems.Add($"security: channel '{source.Channel}' listens for MLLP on {source.EndPoint}, reachable from the network, but no authentication is configured: {HowToConfigure}");
            }
            return problems;
        }
        var https = config.HttpListen.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (https && options.Https is null)
        {
            problems.Add($"security: http.listen {config.HttpListen} is https but security.https gives no certificate");
        }
        if (!https && options.Https is not null)
        {
            problems.Add($"security: security.https is set but http.listen {config.HttpListen} is not an https:// address");
        }
        if (https && options.Https is not null && HttpsListener.Problem(config.HttpListen) is { } listenProblem)
        {
            problems.Add(listenProblem);
        }
        foreach (var name in options.AnonymousChannels)
        {
            var channel = config.Channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (channel is null)
            {
                problems.Add($"security: anonymousChannels names '{name}', which is not a channel");
            }
            else if (channel.Source is IMllpGatedSource gated ? !IPAddress.IsLoopback(gated.EndPoint.Address) : !httpLoopback)
            {
                problems.Add($"security: anonymousChannels: channel '{channel.Name}' listens beyond loopback; unauthenticated senders are allowed on loopback listeners only");
            }
        }
        foreach (var source in mllp.Where(s => !IPAddress.IsLoopback(s.EndPoint.Address) && !s.RequiresClientCertificate
            && !options.AnonymousChannels.Contains(s.Channel, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"security: channel '{source.Channel}' listens for MLLP on {source.EndPoint} without mutual TLS, so its senders cannot be identified: set tls.clientCertificateAuthorities on its source and register each sender's certificate in security.clients");
        }
        return problems;
    }

    /// <summary>True for 127.0.0.0/8, ::1 and localhost; false for 0.0.0.0, *, + and every other address.</summary>
    public static bool IsLoopback(string listen)
    {
        var text = listen.Contains("://", StringComparison.Ordinal) ? listen[(listen.IndexOf("://", StringComparison.Ordinal) + 3)..] : listen;
        text = text.TrimEnd('/');
        string host;
        if (text.StartsWith('['))
        {
            host = text[1..Math.Max(1, text.IndexOf(']', StringComparison.Ordinal))];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon >= 0 ? text[..colon] : text;
        }
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
