using System.Globalization;

namespace Sinew.X12;

/// <summary>Builds the TA1, 997 or 999 Sinew sends back for a received interchange, from its validation result.</summary>
public static class X12AckWriter
{
    /// <summary>Implementation convention reference of the 999 (ST03 and GS08).</summary>
    public const string Version999 = "005010X231A1";

    /// <summary>A TA1 interchange acknowledgment: envelope accepted or rejected, with the note code.</summary>
    public static byte[] BuildTa1(X12InterchangeResult received, X12AckSettings settings)
    {
        var builder = Start(received, settings);
        builder.Segment("TA1", received.ControlNumber, received.Date, received.Time, Letter(received.AckCode == X12AckCode.PartiallyAccepted ? X12AckCode.AcceptedWithErrors : received.AckCode), received.NoteCode);
        return builder.ToArray();
    }

    /// <summary>The TA104/TA105 pair a TA1 for this interchange would carry, e.g. "A 000" or "R 001".</summary>
    public static string Ta1Verdict(X12InterchangeResult received) =>
        $"{Letter(received.AckCode == X12AckCode.PartiallyAccepted ? X12AckCode.AcceptedWithErrors : received.AckCode)} {received.NoteCode}";

    /// <summary>A 997 functional acknowledgment: one transaction set per received group, with AK2..AK5 per set and AK9.</summary>
    public static byte[] Build997(X12InterchangeResult received, X12AckSettings settings) => BuildFunctional(received, settings, is999: false);

    /// <summary>A 999 implementation acknowledgment: like the 997 with IK3/IK4/IK5, in 005010X231A1.</summary>
    public static byte[] Build999(X12InterchangeResult received, X12AckSettings settings) => BuildFunctional(received, settings, is999: true);

    private static byte[] BuildFunctional(X12InterchangeResult received, X12AckSettings settings, bool is999)
    {
        var builder = Start(received, settings);
        var groupControl = settings.GroupControlNumber;
        foreach (var group in received.Groups)
        {
            var version = is999 ? Version999 : group.Version.Length >= 6 ? group.Version[..6] : group.Version;
            builder.BeginGroup("FA", group.ApplicationReceiver, group.ApplicationSender, groupControl, version);
            builder.BeginSet(is999 ? "999" : "997", "0001", is999 ? Version999 : null);
            var is5010 = string.CompareOrdinal(group.Version, "005010") >= 0;
            builder.Segment("AK1", group.FunctionalIdCode, group.ControlNumber, is999 || is5010 ? group.Version : "");
            foreach (var set in group.Sets)
            {
                WriteSet(builder, set, is999, is5010);
            }
            var codes = group.SyntaxErrorCodes.Take(5).ToArray();
            builder.Segment("AK9", [Letter(group.AckCode), Count(group.SetsIncluded < 0 ? group.SetsReceived : group.SetsIncluded), Count(group.SetsReceived), Count(group.SetsAccepted), .. codes]);
            builder.EndSet();
            builder.EndGroup();
            groupControl++;
        }
        return builder.ToArray();
    }

    private static void WriteSet(X12InterchangeBuilder builder, X12SetResult set, bool is999, bool is5010)
    {
        builder.Segment("AK2", set.SetId, set.ControlNumber, is999 || is5010 ? set.ImplementationReference : "");
        var component = ((char)builder.Delimiters.Component).ToString();
        foreach (var error in set.SegmentErrors)
        {
            builder.Segment(is999 ? "IK3" : "AK3", error.SegmentId, Count(error.Position), error.LoopId, error.Code);
            foreach (var element in error.Elements)
            {
                var position = element.ComponentPosition > 0 ? Count(element.Position) + component + Count(element.ComponentPosition) : Count(element.Position);
                var reference = element.ReferenceNumber > 0 ? Count(element.ReferenceNumber) : "";
                builder.Segment(is999 ? "IK4" : "AK4", position, reference, element.Code, Clean(element.BadValue, builder.Delimiters));
            }
        }
        var code = set.AckCode == X12AckCode.PartiallyAccepted ? X12AckCode.AcceptedWithErrors : set.AckCode;
        builder.Segment(is999 ? "IK5" : "AK5", [Letter(code), .. set.SyntaxErrorCodes.Take(5)]);
    }

    private static X12InterchangeBuilder Start(X12InterchangeResult received, X12AckSettings settings)
    {
        var header = new X12InterchangeHeader
        {
            SenderQualifier = received.ReceiverQualifier,
            SenderId = received.ReceiverId,
            ReceiverQualifier = received.SenderQualifier,
            ReceiverId = received.SenderId,
            ControlNumber = settings.InterchangeControlNumber,
            Version = received.Version.Length == 5 ? received.Version : "00501",
            Timestamp = settings.Timestamp,
            UsageIndicator = received.UsageIndicator is "T" ? 'T' : 'P',
        };
        var delimiters = settings.Delimiters ?? received.Delimiters;
        if (!delimiters.AreValid)
        {
            delimiters = X12Delimiters.Default;
        }
        return new X12InterchangeBuilder(header, delimiters, settings.SegmentSuffix);
    }

    // A bad value copied into AK404 must not carry the delimiters of the acknowledgement.
    private static string Clean(string? value, X12Delimiters d)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        Span<char> chars = stackalloc char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            chars[i] = c == d.Element || c == d.Component || c == d.Segment || (d.Repetition != 0 && c == d.Repetition) || c < ' ' ? ' ' : c;
        }
        return new string(chars).Trim();
    }

    internal static string Letter(X12AckCode code) => code switch
    {
        X12AckCode.Accepted => "A",
        X12AckCode.AcceptedWithErrors => "E",
        X12AckCode.PartiallyAccepted => "P",
        _ => "R",
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
