using Sinew.Audit.Keys;
using Sinew.Canonical;
using Sinew.Core.Audit;

namespace Sinew.Audit.Policy;

/// <summary>
/// What the policy steps of one loaded configuration share: the tokenization and encryption settings read from
/// <c>sinew.yaml</c> before the channels, and the audit log and vault the host attaches once the data folder is open.
/// One instance per registry, never static, so two configurations in one process stay apart.
/// </summary>
public sealed class DataProtection : IDisposable
{
    private readonly Lock _lock = new();
    private TokenVault? _vault;
    private string? _dataDirectory;

    public TokenizationSettings? Tokenization { get; internal set; }

    public EncryptionSettings? Encryption { get; internal set; }

    /// <summary>Where policy blocks and restrictions are recorded; nothing until the host attaches its log.</summary>
    public IAuditLog Audit { get; private set; } = NoAuditLog.Instance;

    /// <summary>Called by the host once the audit log and data folder are open.</summary>
    public void Attach(IAuditLog audit, string dataDirectory)
    {
        Audit = audit;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The tokenizer for <c>phiAction: tokenize</c> and de-identification profiles: the vault or the keyed HMAC.</summary>
    public IFieldTokenizer? Tokenizer => Tokenization is null ? null : Tokenization.Vault ? Vault : Tokenization.Tokenizer;

    /// <summary>The re-identification vault (opened on first use), or null when <c>tokenization.vault</c> is off.</summary>
    public TokenVault? Vault
    {
        get
        {
            if (Tokenization is not { Vault: true } tokenization || Encryption is null)
            {
                return null;
            }
            lock (_lock)
            {
                return _vault ??= TokenVault.Open(_dataDirectory ?? throw new InvalidOperationException("the vault is used before the data folder is known"), tokenization.Tokenizer, Encryption.Keys);
            }
        }
    }

    public void Dispose() => _vault?.Dispose();
}
