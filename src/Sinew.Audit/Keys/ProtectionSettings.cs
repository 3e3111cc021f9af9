using Sinew.Audit.Log;
using Sinew.Engine.Config;

namespace Sinew.Audit.Keys;

/// <summary>
/// The audit, encryption and tokenization sections read straight from <c>sinew.yaml</c>, for local admin commands that
/// must not need every channel's secrets (rotating keys, verifying the audit chain).
/// </summary>
public sealed record ProtectionSettings(AuditSettings Audit, EncryptionSettings? Encryption, TokenizationSettings? Tokenization)
{
    /// <summary>Reads the sections; throws <see cref="InvalidOperationException"/> listing every problem (file, line, setting).</summary>
    public static ProtectionSettings Read(string configDirectory)
    {
        var directory = Path.GetFullPath(configDirectory);
        var path = Path.Combine(directory, ConfigLoader.SharedFileName);
        var diagnostics = new ConfigDiagnostics();
        var shared = File.Exists(path) ? ConfigLoader.ReadFile(path, diagnostics) : null;
        var audit = AuditSettings.Read(shared?.GetSection(AuditSettings.SectionName), directory) as AuditSettings ?? AuditSettings.Default;
        var encryption = EncryptionSettings.Read(shared?.GetSection(EncryptionSettings.SectionName), directory) as EncryptionSettings;
        var tokenization = TokenizationSettings.Read(shared?.GetSection(TokenizationSettings.SectionName), directory) as TokenizationSettings;
        if (diagnostics.HasErrors)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, diagnostics.Errors));
        }
        return new ProtectionSettings(audit, encryption, tokenization);
    }
}
