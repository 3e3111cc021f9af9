using Sinew.Core.Audit;
using Sinew.Mllp;
using Sinew.Security.Throttling;

namespace Sinew.Security.Access;

/// <summary>
/// The security module's gate on one MLLP channel: with security on, the sender must present a client certificate
/// registered to a client holding <c>channel:{name}:send</c> (else AR with the reason in ERR, connection kept open);
/// and every frame waits for a token of the client's and the channel's bucket.
/// </summary>
internal sealed class MllpAccessGate(string channel, SecurityOptions options, Throttle throttle, IAuditLog audit) : IMllpSenderGate
{
    public async ValueTask<string?> RefuseAsync(MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        if (!options.Enforced || options.AnonymousChannels.Contains(channel, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        var principal = connection.ClientCertificate is { } certificate ? Authenticator.FromCertificate(options, certificate) : null;
        string? refusal = null;
        if (connection.ClientCertificate is null)
        {
            refusal = $"channel '{channel}' takes messages only from identified senders: connect with a client certificate registered in security.clients";
        }
        else if (principal is null)
        {
            refusal = "the client certificate is not registered to any client in security.clients";
        }
        else if (!principal.HasScope($"channel:{channel}:send"))
        {
            refusal = $"client '{principal.Actor}' may not send to channel '{channel}' (needs scope channel:{channel}:send)";
        }
        if (refusal is not null)
        {
            await audit.WriteAsync(new AuditRecord
            {
                Action = "auth.denied",
                Actor = principal?.Actor ?? "unknown",
                Outcome = "denied",
                Target = $"channel/{channel}",
                Reason = refusal,
                Source = connection.RemoteEndPoint?.ToString(),
            }, cancellationToken);
        }
        return refusal;
    }

    public ValueTask WaitForTurnAsync(MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        if (!throttle.IsActive)
        {
            return ValueTask.CompletedTask;
        }
        var client = connection.ClientCertificate is { } certificate && Authenticator.FromCertificate(options, certificate) is { } principal
            ? principal.Actor
            : "ip:" + (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
        return throttle.WaitAsync(client, channel, "mllp", cancellationToken);
    }
}
