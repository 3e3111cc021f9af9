namespace Sinew.Canonical;

/// <summary>
/// How the pipeline asks the journal to put a delivery straight into the exception queue (a PHI policy block): an outbound
/// entry with this media type whose payload is the UTF-8 reason. The journal stores it dead-lettered, never delivers it,
/// and a reprocess runs the pipeline again rather than sending the reason.
/// </summary>
public static class BlockedDelivery
{
    public const string ContentType = "application/vnd.sinew.policy-blocked";

    public static bool Is(string? contentType) => string.Equals(contentType, ContentType, StringComparison.Ordinal);
}
