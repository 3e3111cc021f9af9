using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Sinew.EndToEnd.Tests;

/// <summary>What the MLLP end-to-end tests share: the corpus, channel folders, the port a channel bound, reading ACKs.</summary>
internal static partial class MllpScenario
{
    public const string CorpusMissing = "the shared corpus is not at ../shared/corpus next to the repository (it is read, never copied into the project); the MLLP conformance tests need its hl7v2 files.";

    /// <summary>The shared test corpus (<c>../shared/corpus</c> beside the repository), or null when absent.</summary>
    public static string? Corpus
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(SinewProcess.RepoRoot, "..", "shared", "corpus"));
            return Directory.Exists(Path.Combine(path, "hl7v2")) ? path : null;
        }
    }

    /// <summary>An MLLP → file channel listening on a port the OS picks; files land in <c>&lt;data&gt;/out/&lt;name&gt;</c>.</summary>
    public static string MllpToFile(string name, string dedupeWindow = "1d") => $"""
        name: {name}
        source:
          type: mllp
          listen: 127.0.0.1:0
          validate: false
          maxConnections: 256
          dedupeWindow: {dedupeWindow}
        destinations:
          - name: archive
            type: file
            maxSensitivity: phi
            path: out/{name}
        """;

    /// <summary>The port the <c>mllp</c> source of <paramref name="channel"/> bound, as printed by <c>sinew run</c>.</summary>
    public static int PortOf(SinewProcess sinew, string channel)
    {
        foreach (Match match in ChannelLine().Matches(sinew.Output))
        {
            if (match.Groups[1].Value == channel)
            {
                return int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"sinew did not print the MLLP port of channel {channel}:\n{sinew.Output}");
    }

    [GeneratedRegex(@"channel (\S+): mllp 127\.0\.0\.1:(\d+)")]
    private static partial Regex ChannelLine();

    /// <summary>The delivered files of a file destination folder (not the temporary ones).</summary>
    public static string[] Delivered(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*.hl7") : [];

    /// <summary>Waits until <paramref name="folder"/> holds at least <paramref name="count"/> delivered files, or the timeout passes.</summary>
    public static async Task<string[]> WaitForDeliveredAsync(string folder, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var files = Delivered(folder);
        while (files.Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            files = Delivered(folder);
        }
        return files;
    }

    /// <summary>The fields of the MSH segment read the simple way (split on the field separator), independent of Sinew's parser; index n is MSH-(n+1), so [9] is MSH-10.</summary>
    public static string[] MshFields(ReadOnlySpan<byte> message)
    {
        var text = Encoding.Latin1.GetString(message);
        var start = text.IndexOf("MSH", StringComparison.Ordinal);
        if (start < 0 || text.Length < start + 4)
        {
            return [];
        }
        var end = text.IndexOfAny(['\r', '\n'], start);
        var line = end < 0 ? text[start..] : text[start..end];
        return line.Split(line[3]);
    }

    /// <summary>MSH-(<paramref name="number"/>) or "" when the message has fewer fields.</summary>
    public static string Msh(string[] fields, int number) => fields.Length > number - 1 ? fields[number - 1] : "";

    /// <summary>The receiver's dedupe key of a message, or null when it has no MSH-10 (such messages are never duplicates).</summary>
    public static string? DedupeKey(ReadOnlySpan<byte> message)
    {
        var msh = MshFields(message);
        var control = Msh(msh, 10);
        return control.Length == 0 ? null : $"{Msh(msh, 3)}|{Msh(msh, 4)}|{control}";
    }

    /// <summary>Whether HL7 asks the receiver for an accept ACK when the message is accepted: always in original mode, and in enhanced mode unless MSH-15 is NE or ER.</summary>
    public static bool WantsAckOnSuccess(ReadOnlySpan<byte> message)
    {
        var msh = MshFields(message);
        var accept = Msh(msh, 15);
        var application = Msh(msh, 16);
        return (accept.Length == 0 && application.Length == 0) || accept is "" or "AL" or "SU";
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
}
