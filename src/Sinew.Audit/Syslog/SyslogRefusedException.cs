namespace Sinew.Audit.Syslog;

/// <summary>The syslog server's certificate failed the check, so Sinew refused to send it anything (it never falls back to plain TCP).</summary>
public sealed class SyslogRefusedException : Exception
{
    public SyslogRefusedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
