namespace Sinew.Hl7v2;

/// <summary>How ACKs are stamped: who we are when the inbound message cannot tell, the clock, and the control id.</summary>
public sealed record AckOptions
{
    /// <summary>Default options: system clock, random control ids, "SINEW" as application name when none can be salvaged.</summary>
    public static AckOptions Default { get; } = new();

    /// <summary>Clock for MSH-7.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Makes MSH-10 of the ACK; 20 hex characters from a GUID when null.</summary>
    public Func<string>? ControlIdFactory { get; init; }

    /// <summary>MSH-3 of an ACK whose inbound MSH-5 is empty or unreadable.</summary>
    public string ApplicationName { get; init; } = "SINEW";

    /// <summary>MSH-4 of an ACK whose inbound MSH-6 is empty or unreadable.</summary>
    public string FacilityName { get; init; } = string.Empty;

    /// <summary>Writes ERR-8 (user message) with each issue's text; the texts never contain message content.</summary>
    public bool IncludeIssueText { get; init; } = true;

    /// <summary>Most ERR segments written (errors and warnings in issue order); keeps an ACK small whatever the message.</summary>
    public int MaxErrorSegments { get; init; } = 50;

    internal string NewControlId() => ControlIdFactory?.Invoke() ?? RandomControlId();

    /// <summary>20 upper-case hex digits of a new GUID, as one string (not three).</summary>
    private static string RandomControlId()
    {
        Span<char> hex = stackalloc char[32];
        Guid.NewGuid().TryFormat(hex, out _, "N");
        var id = hex[..20];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = char.ToUpperInvariant(id[i]);
        }
        return new string(id);
    }
}
