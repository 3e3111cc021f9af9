namespace Sinew.Hl7v2;

/// <summary>
/// Builds the ACK for an inbound message: MSH mirrored from the inbound one (sending and receiving swapped, new control id,
/// same version and processing id), MSA with the code and the inbound control id, and one ERR per issue saying what and where.
/// </summary>
public static class AckBuilder
{
    private static readonly Hl7Path Msh15 = Hl7Path.Create("MSH", 15);
    private static readonly Hl7Path Msh16 = Hl7Path.Create("MSH", 16);

    /// <summary>Enhanced mode when MSH-15 or MSH-16 is valued, original mode otherwise.</summary>
    public static AckMode ModeOf(Hl7Message inbound) =>
        inbound.Get(Msh15).IsEmpty && inbound.Get(Msh16).IsEmpty ? AckMode.Original : AckMode.Enhanced;

    /// <summary>The code to answer with after the message is durably stored: accept when no issue is an error, error otherwise, in the inbound's mode.</summary>
    public static AckCode CodeFor(Hl7Message inbound, IReadOnlyList<Hl7Issue> issues)
    {
        var enhanced = ModeOf(inbound) == AckMode.Enhanced;
        foreach (var issue in issues)
        {
            if (issue.Severity == Hl7Severity.Error)
            {
                return enhanced ? AckCode.CommitError : AckCode.ApplicationError;
            }
        }
        return enhanced ? AckCode.CommitAccept : AckCode.ApplicationAccept;
    }

    /// <summary>Whether MSH-15 asks for an accept ACK with this code (AL always, NE never, ER on error/reject, SU on success); always true in original mode.</summary>
    public static bool ShouldSend(Hl7Message inbound, AckCode code)
    {
        if (ModeOf(inbound) == AckMode.Original)
        {
            return true;
        }
        var accept = inbound.Get(Msh15);
        var success = code is AckCode.CommitAccept or AckCode.ApplicationAccept;
        return accept.IsEmpty || accept.ValueEquals("AL"u8) || (accept.ValueEquals("ER"u8) && !success) || (accept.ValueEquals("SU"u8) && success);
    }

    /// <summary>Whether MSH-16 asks for an application ACK with this code (AL, NE, ER, SU as for <see cref="ShouldSend"/>); in original mode the one ACK is always sent.</summary>
    public static bool ShouldSendApplicationAck(Hl7Message inbound, AckCode code)
    {
        if (ModeOf(inbound) == AckMode.Original)
        {
            return true;
        }
        var application = inbound.Get(Msh16);
        var success = code is AckCode.ApplicationAccept or AckCode.CommitAccept;
        return application.ValueEquals("AL"u8) || (application.ValueEquals("ER"u8) && !success) || (application.ValueEquals("SU"u8) && success);
    }

    /// <summary>Builds the ACK bytes for <paramref name="inbound"/>.</summary>
    /// <param name="inbound">The message being acknowledged.</param>
    /// <param name="code">MSA-1.</param>
    /// <param name="issues">Issues to report as ERR segments (information is left out).</param>
    /// <param name="options">Clock, control ids, names; <see cref="AckOptions.Default"/> when null.</param>
    public static byte[] Build(Hl7Message inbound, AckCode code, IReadOnlyList<Hl7Issue>? issues = null, AckOptions? options = null)
    {
        options ??= AckOptions.Default;
        if (!HasErrorSegments(issues, options))
        {
            // No ERR segment: MSH and MSA written straight to bytes.
            return AckHeader.CreateBytes(inbound, code, ModeOf(inbound) == AckMode.Enhanced, options);
        }
        return BuildMessage(inbound, code, issues, options).ToArray();
    }

    private static bool HasErrorSegments(IReadOnlyList<Hl7Issue>? issues, AckOptions options)
    {
        if (issues is null || options.MaxErrorSegments <= 0)
        {
            return false;
        }
        foreach (var issue in issues)
        {
            if (issue.Severity != Hl7Severity.Information)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Builds the ACK as a message, for callers that want to add segments before sending.</summary>
    public static Hl7Message BuildMessage(Hl7Message inbound, AckCode code, IReadOnlyList<Hl7Issue>? issues = null, AckOptions? options = null)
    {
        options ??= AckOptions.Default;
        var version = inbound.Version.Length > 0 ? inbound.Version : "2.5.1";
        var ack = AckHeader.Create(inbound, code, ModeOf(inbound) == AckMode.Enhanced, options);
        if (issues is not null)
        {
            var written = 0;
            foreach (var issue in issues)
            {
                if (issue.Severity != Hl7Severity.Information && written++ < options.MaxErrorSegments)
                {
                    AckErrors.Add(ack, issue, version, options.IncludeIssueText);
                }
            }
        }
        return ack;
    }

    /// <summary>
    /// Builds a reject (AR, or CR when MSH-15/16 can be read) for bytes that did not parse as a message, salvaging what MSH
    /// fields it can; with no MSH at all the ACK has an empty MSA-2 and standard delimiters.
    /// </summary>
    public static byte[] BuildForUnparsable(ReadOnlyMemory<byte> received, IReadOnlyList<Hl7Issue> issues, AckOptions? options = null)
    {
        var line = received.Span.IndexOfAny((byte)'\r', (byte)'\n');
        var header = line < 0 ? received : received[..line];
        var salvaged = Hl7Message.Parse(header).Message ?? Hl7Message.Create(string.Empty, string.Empty, "2.5.1");
        var code = ModeOf(salvaged) == AckMode.Enhanced ? AckCode.CommitReject : AckCode.ApplicationReject;
        return Build(salvaged, code, issues, options);
    }

    internal static string MsaCode(AckCode code) => code switch
    {
        AckCode.ApplicationAccept => "AA",
        AckCode.ApplicationError => "AE",
        AckCode.ApplicationReject => "AR",
        AckCode.CommitAccept => "CA",
        AckCode.CommitError => "CE",
        _ => "CR",
    };
}
