namespace Sinew.Audit.Syslog;

/// <summary>
/// How far the syslog stream is: the server, whether a TLS connection is up, the last record handed on, the last record
/// in the log, the difference, and the last connection problem (null while healthy).
/// </summary>
public sealed record SyslogStreamStatus(string Address, bool Connected, long Streamed, long Head, long Lag, string? LastError);
