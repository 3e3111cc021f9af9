using System.Security.Cryptography;

namespace Sinew.Hl7v2;

/// <summary>How ACKs are stamped: who we are when the inbound message cannot tell, the clock, and the control id.</summary>
public sealed record AckOptions
{
    /// <summary>Random per process, so that two processes (or one restarted) do not repeat each other's control ids.</summary>
    private static readonly uint s_processPrefix = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

    private static long s_sequence;

    /// <summary>Default options: system clock, process-unique control ids, "SINEW" as application name when none can be salvaged.</summary>
    public static AckOptions Default { get; } = new();

    /// <summary>Clock for MSH-7.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Makes MSH-10 of the ACK; 20 hex characters unique to this process (a random prefix and a counter) when null.</summary>
    public Func<string>? ControlIdFactory { get; init; }

    /// <summary>MSH-3 of an ACK whose inbound MSH-5 is empty or unreadable.</summary>
    public string ApplicationName { get; init; } = "SINEW";

    /// <summary>MSH-4 of an ACK whose inbound MSH-6 is empty or unreadable.</summary>
    public string FacilityName { get; init; } = string.Empty;

    /// <summary>Writes ERR-8 (user message) with each issue's text; the texts never contain message content.</summary>
    public bool IncludeIssueText { get; init; } = true;

    /// <summary>Most ERR segments written (errors and warnings in issue order); keeps an ACK small whatever the message.</summary>
    public int MaxErrorSegments { get; init; } = 50;

    internal string NewControlId() => ControlIdFactory?.Invoke() ?? ProcessControlId();

    /// <summary>
    /// 20 upper-case hex digits: 8 random per process, then 12 of a counter. Unique within a process (2^48 ACKs) without a
    /// read of the system's random source per ACK (a <c>Guid.NewGuid</c> was one system call per message).
    /// </summary>
    internal static string ProcessControlId() =>
        string.Create(20, Interlocked.Increment(ref s_sequence), static (id, sequence) =>
        {
            s_processPrefix.TryFormat(id, out _, "X8");
            (sequence & 0xFFFF_FFFF_FFFF).TryFormat(id[8..], out _, "X12");
        });
}
