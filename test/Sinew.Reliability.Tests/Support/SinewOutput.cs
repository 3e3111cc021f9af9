using System.Globalization;
using System.Text.RegularExpressions;

namespace Sinew.Reliability.Tests.Support;

/// <summary>What <c>sinew run</c> prints that tests need: the port an MLLP source bound.</summary>
internal static partial class SinewOutput
{
    public static int MllpPort(SinewProcess sinew, string channel)
    {
        foreach (Match match in ChannelLine().Matches(sinew.Output))
        {
            if (match.Groups[1].Value == channel)
            {
                return int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"sinew did not print the MLLP port of channel {channel}:\n{sinew.Output}");
    }

    [GeneratedRegex(@"channel (\S+): mllp 127\.0\.0\.1:(\d+)")]
    private static partial Regex ChannelLine();

    /// <summary>MSH-10 of an HL7 body, or the body itself when it is not HL7 (the HTTP messages carry their key as body).</summary>
    public static string KeyOf(string body)
    {
        if (!body.StartsWith("MSH|", StringComparison.Ordinal))
        {
            return body;
        }
        var msh = body.Split('\r')[0].Split('|');
        return msh.Length > 9 ? msh[9] : "";
    }
}
