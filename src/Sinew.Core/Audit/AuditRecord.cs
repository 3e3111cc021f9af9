namespace Sinew.Core.Audit;

/// <summary>
/// One audited event: who did what to which object, when, from where, with what outcome and why. Never holds message
/// content or patient identifiers — only ids (message id, channel, key id) and the actor's own identity.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>What happened, e.g. <c>message.view-body</c>, <c>message.reprocess</c>, <c>message.edit</c>, <c>config.change</c>,
    /// <c>key.rotate</c>, <c>auth.login-failed</c>, <c>policy.block</c>, <c>phi.view</c>, <c>token.resolve</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Who: a user (subject of the token), a system client id, an API key id, or <c>sinew</c> for the engine itself.</summary>
    public required string Actor { get; init; }

    /// <summary>The actor's role(s) at the time, e.g. <c>operator</c>.</summary>
    public string? Role { get; init; }

    /// <summary>What it was done to, e.g. <c>message/123</c>, <c>channel/adt-feed</c>, <c>key/kek-2</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>success</c>, <c>denied</c> or <c>failure</c>.</summary>
    public string Outcome { get; init; } = "success";

    /// <summary>The reason the actor gave (required to view PHI) or the policy's reason for a block.</summary>
    public string? Reason { get; init; }

    /// <summary>Where the request came from (remote address), when known.</summary>
    public string? Source { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
