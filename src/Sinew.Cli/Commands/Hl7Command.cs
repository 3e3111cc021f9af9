using System.CommandLine;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew hl7 send FILE --to host:port</c>: sends every message of a file over MLLP and prints each ACK.</summary>
internal static class Hl7Command
{
    private static readonly Hl7Path AckCode = Hl7Path.Parse("MSA-1");
    private static readonly Hl7Path AckText = Hl7Path.Parse("ERR-8");
    private static readonly Hl7Path AcceptAckType = Hl7Path.Parse("MSH-15");

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "A file of HL7 v2 messages (one, several, or an FHS/BHS batch)" };
        var to = new Option<string>("--to") { Description = "host:port of the MLLP listener", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each ACK", DefaultValueFactory = _ => 30 };
        var send = new Command("send", "Send every message of a file over MLLP and print the ACKs; exit 1 unless all are AA/CA") { file, to, timeout };
        send.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(to)!;
            var colon = target.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(target[(colon + 1)..], out var port))
            {
                await Console.Error.WriteLineAsync($"--to '{target}' must be host:port");
                return 2;
            }
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: no such file");
                return 2;
            }
            await using var client = new MllpClient(new MllpClientOptions { Host = target[..colon], Port = port, ResponseTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) });
            await using var stream = File.OpenRead(path);
            using var reader = new Hl7BatchReader(stream);
            var (sent, accepted) = (0, 0);
            while (await reader.ReadAsync(ct) is { } item)
            {
                if (item.Kind != Hl7BatchItemKind.Message)
                {
                    continue;
                }
                sent++;
                try
                {
                    if (item.Parse().Message?.Get(AcceptAckType).ToString() == "NE")
                    {
                        await client.SendWithoutResponseAsync(item.Bytes, ct);
                        accepted++;
                        Console.WriteLine($"message {sent}: sent (MSH-15 NE: no accept ACK expected)");
                        continue;
                    }
                    var response = await client.SendAsync(item.Bytes, ct);
                    var ack = Hl7Message.Parse(response).Message;
                    var code = ack?.Get(AckCode).ToString() ?? "?";
                    if (code is "AA" or "CA")
                    {
                        accepted++;
                    }
                    Console.WriteLine($"message {sent}: {code} {ack?.Get(AckText).ToString()}".TrimEnd());
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException)
                {
                    Console.WriteLine($"message {sent}: no ACK ({ex.Message})");
                }
            }
            Console.WriteLine($"{sent} sent, {accepted} accepted");
            return sent > 0 && accepted == sent ? 0 : 1;
        });
        var hl7 = new Command("hl7", "HL7 v2 tools");
        hl7.Subcommands.Add(send);
        return hl7;
    }
}
