using Sinew.Engine.Config;

namespace Sinew.Audit.Log;

/// <summary>
/// The <c>audit:</c> section of <c>sinew.yaml</c>. <c>key</c> (optional, <c>file:</c>/<c>env:</c>, at least 32 bytes base64)
/// turns the chain from SHA-256 into HMAC-SHA256, so someone who can write <c>audit.db</c> but lacks the key cannot
/// recompute a consistent chain after an edit. <c>syslog</c> (optional) streams every record to a SIEM.
/// </summary>
public sealed record AuditSettings(byte[]? Key)
{
    /// <summary>The policy state of the same configuration, handed to the host with the settings.</summary>
    public Policy.DataProtection? Protection { get; init; }

    /// <summary>Where records are streamed as RFC 5424 syslog over TLS, or null when they stay local.</summary>
    public Sinew.Audit.Syslog.SyslogSettings? Syslog { get; init; }

    public const string SectionName = "audit";

    public static AuditSettings Default { get; } = new((byte[]?)null);

    public static object? Read(ConfigSection? section, string configDirectory)
    {
        if (section is null)
        {
            return Default;
        }
        var key = section.Has("key") ? Keys.KeyMaterial.Read(section, "key", 32) : null;
        var syslog = section.GetSection("syslog") is { } stream ? Sinew.Audit.Syslog.SyslogSettings.Read(stream) : null;
        section.ReportUnknown();
        return new AuditSettings(key) { Syslog = syslog };
    }
}
