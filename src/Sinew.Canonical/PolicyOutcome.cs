namespace Sinew.Canonical;

/// <summary>
/// What the PHI policy did to one payload for one destination: the new bytes, the field paths it acted on (names only,
/// never values) and whether the payload must not be sent at all.
/// </summary>
public sealed record PolicyOutcome(byte[] Payload, IReadOnlyList<string> Fields, bool Blocked)
{
    /// <summary>The reason written to the exception queue and the audit log for a block: field names, never values.</summary>
    public string BlockReason(string destination, Sensitivity highest) =>
        $"blocked by PHI policy for destination '{destination}': fields above class {highest.ToString().ToLowerInvariant()}: {string.Join(", ", Fields)}";
}
