using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.Connectors.Hl7;

/// <summary>
/// Sends each message over MLLP on kept-open connections and reads the ACK: AA/CA is delivered; AE/AR/CE/CR go to
/// the exception queue or are retried, as the channel chooses; a timeout, a dropped connection or an ACK for another
/// message is retried (same message, same control id).
/// </summary>
public sealed class MllpDestination : IDestination
{
    private static readonly Hl7Path AckCodePath = Hl7Path.Parse("MSA-1");
    private static readonly Hl7Path AckControlIdPath = Hl7Path.Parse("MSA-2");
    private static readonly Hl7Path ErrorTextPath = Hl7Path.Parse("ERR-8");
    private static readonly Hl7Path AcceptAckTypePath = Hl7Path.Parse("MSH-15");
    private readonly MllpClientOptions _options;
    private readonly bool _retryNegative;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentBag<MllpClient> _idle = [];
    private readonly ConcurrentDictionary<MllpClient, bool> _all = new();

    public MllpDestination(MllpClientOptions options, bool retryNegative, ILoggerFactory loggers)
    {
        _options = options;
        _retryNegative = retryNegative;
        _loggers = loggers;
    }

    public static IDestination? Create(ConfigSection settings, ConnectorContext context)
    {
        var to = settings.GetString("to", required: true);
        var negative = settings.GetChoice("negativeAck", "exception", "exception", "retry");
        var responseTimeout = settings.GetDuration("responseTimeout", TimeSpan.FromSeconds(30));
        var connectTimeout = settings.GetDuration("connectTimeout", TimeSpan.FromSeconds(10));
        if (to is null)
        {
            return null;
        }
        var colon = to.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(to[(colon + 1)..], out var port) || port is < 1 or > 65535)
        {
            settings.Error("to", $"'{to}' must be host:port, e.g. 10.1.2.3:2575");
            return null;
        }
        var host = to[..colon].Trim('[', ']');
        var options = new MllpClientOptions
        {
            Host = host,
            Port = port,
            ResponseTimeout = responseTimeout,
            ConnectTimeout = connectTimeout,
            Tls = Hl7Settings.ReadClientTls(settings, host),
        };
        foreach (var problem in options.Validate())
        {
            settings.Error("to", problem);
        }
        return new MllpDestination(options, negative == "retry", context.LoggerFactory);
    }

    public async ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var sent = Hl7Message.Parse(entry.Payload).Message;
        var acceptAck = sent?.Get(AcceptAckTypePath).ToString() ?? "";
        var client = Rent();
        var healthy = true;
        try
        {
            if (acceptAck == "NE")
            {
                // The message asks for no accept ACK: the receiver must stay silent, so a written frame is a delivery.
                await client.SendWithoutResponseAsync(entry.Payload, cancellationToken);
                return DeliveryResult.Delivered("sent; MSH-15 NE asks for no accept ACK");
            }
            byte[] response;
            try
            {
                response = await client.SendAsync(entry.Payload, cancellationToken);
            }
            catch (TimeoutException) when (acceptAck == "ER")
            {
                // MSH-15 ER: an ACK comes only on error, so silence means accepted. The connection is reset in case a late one arrives.
                healthy = false;
                return DeliveryResult.Delivered("no ACK within the timeout; MSH-15 ER means accepted");
            }
            var result = Interpret(sent?.ControlId, response);
            healthy = result.Outcome != DeliveryOutcome.Transient;
            return result;
        }
        catch (TimeoutException)
        {
            healthy = false;
            return DeliveryResult.Transient($"no ACK within {_options.ResponseTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            healthy = false;
            return DeliveryResult.Transient($"connection to {_options.Host}:{_options.Port} failed: {ex.Message}");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            healthy = false;
            return DeliveryResult.Transient($"connection to {_options.Host}:{_options.Port} failed: {ex.SocketErrorCode}");
        }
        finally
        {
            if (healthy)
            {
                _idle.Add(client);
            }
            else
            {
                // A connection that lost step (timeout, wrong ACK) is not reused: a late answer must never be read as the next message's ACK.
                _all.TryRemove(client, out _);
                await client.DisposeAsync();
            }
        }
    }

    private DeliveryResult Interpret(string? sentControlId, byte[] response)
    {
        var ack = Hl7Message.Parse(response);
        if (ack.Message is not { } message || !message.TryGetSegment("MSA"u8, out _))
        {
            return DeliveryResult.Transient("the answer is not an HL7 ACK (no MSA segment)");
        }
        var code = message.Get(AckCodePath).ToString();
        var acknowledged = message.Get(AckControlIdPath).ToString();
        if (sentControlId is { Length: > 0 } && acknowledged != sentControlId)
        {
            return DeliveryResult.Transient($"the ACK is for control id '{acknowledged}', not the one sent");
        }
        if (code is "AA" or "CA")
        {
            return DeliveryResult.Delivered($"{code} {acknowledged}");
        }
        var detail = $"{code} {message.Get(ErrorTextPath)}".Trim();
        return code is "AE" or "AR" or "CE" or "CR"
            ? _retryNegative ? DeliveryResult.Transient("negative ACK: " + detail) : DeliveryResult.Permanent("negative ACK: " + detail)
            : DeliveryResult.Transient($"unknown acknowledgement code '{code}'");
    }

    private MllpClient Rent()
    {
        if (_idle.TryTake(out var client))
        {
            return client;
        }
        client = new MllpClient(_options, _loggers.CreateLogger<MllpClient>());
        _all[client] = true;
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _all.Keys)
        {
            await client.DisposeAsync();
        }
    }
}
