using System.Buffers;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Engine.Sources;
using Sinew.Hl7v2;
using Sinew.Mllp;

namespace Sinew.Connectors.Hl7;

/// <summary>
/// An MLLP listener feeding a channel. Each frame is parsed and (optionally) validated, committed to the journal
/// with the ACK it will get, and only then answered: AA/CA after the commit, AE with ERR segments for content that
/// fails validation (kept as rejected), AR for bytes that are not HL7 at all (kept raw). A repeat of a message
/// (same sending application, facility and MSH-10 within the dedupe window) gets its first ACK and is not processed again.
/// </summary>
public sealed class MllpSource : ISource, IMllpFrameHandler, IMllpGatedSource
{
    public const string ContentType = "application/hl7-v2";
    private static readonly Hl7Path SendingApplication = Hl7Path.Parse("MSH-3");
    private static readonly Hl7Path SendingFacility = Hl7Path.Parse("MSH-4");

    private readonly string _channel;
    private MllpListenerOptions _options;
    private readonly Hl7ProfileSet? _profiles;
    private readonly Hl7ParseOptions _parseOptions;
    private readonly TimeSpan _dedupeWindow;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private MllpListener? _listener;
    private IIntake? _intake;

    public MllpSource(string channel, MllpListenerOptions options, Hl7ProfileSet? profiles, Hl7ParseOptions parseOptions, TimeSpan dedupeWindow, ILoggerFactory loggers)
    {
        _channel = channel;
        _options = options;
        _profiles = profiles;
        _parseOptions = parseOptions;
        _dedupeWindow = dedupeWindow;
        _loggers = loggers;
        _logger = loggers.CreateLogger<MllpSource>();
    }

    public string Type => "mllp";

    /// <inheritdoc />
    public string Channel => _channel;

    /// <inheritdoc />
    public bool RequiresClientCertificate => _options.Tls?.RequireClientCertificate == true;

    /// <inheritdoc />
    public void UseGate(IMllpSenderGate gate) => _options = _options with { Gate = gate };

    /// <summary>The bound address (the real port when configured with port 0).</summary>
    public System.Net.IPEndPoint EndPoint => _listener?.LocalEndPoint ?? _options.EndPoint;

    System.Net.IPEndPoint IMllpGatedSource.EndPoint => _options.EndPoint;

    /// <summary>When the server certificate expires, for alerting; null without TLS.</summary>
    public DateTimeOffset? CertificateNotAfter => _listener?.ServerCertificateNotAfter;

    public static ISource? Create(ConfigSection settings, ConnectorContext context)
    {
        var endPoint = Hl7Settings.ReadEndPoint(settings, "listen", required: true);
        var validate = settings.GetBool("validate", true);
        var profiles = validate ? Hl7Settings.ReadProfiles(settings) : null;
        var tls = Hl7Settings.ReadServerTls(settings);
        var parseOptions = new Hl7ParseOptions
        {
            AllowLineFeedTerminators = settings.GetBool("allowLineFeeds", true),
            AllowByteOrderMark = settings.GetBool("allowByteOrderMark", true),
        };
        var dedupeWindow = settings.GetDuration("dedupeWindow", TimeSpan.FromDays(1));
        var options = endPoint is null ? null : new MllpListenerOptions
        {
            EndPoint = endPoint,
            Name = context.Channel,
            MaxFrameBytes = (int)Math.Min(int.MaxValue, settings.GetSize("maxFrameBytes", 4 * 1024 * 1024)),
            MaxConnections = (int)settings.GetInt("maxConnections", 256, 1, 100_000),
            InlineReceives = settings.GetBool("inlineReceives", true),
            IdleTimeout = settings.GetDuration("idleTimeout", TimeSpan.FromMinutes(10)),
            FrameTimeout = settings.GetDuration("frameTimeout", TimeSpan.FromSeconds(30)),
            Tls = tls,
        };
        if (options is null || (validate && profiles is null))
        {
            return null;
        }
        foreach (var problem in options.Validate())
        {
            settings.Error("listen", problem);
        }
        return new MllpSource(context.Channel, options, profiles, parseOptions, dedupeWindow, context.LoggerFactory);
    }

    public string Describe() => $"mllp {EndPoint}{(_options.Tls is null ? "" : _options.Tls.RequireClientCertificate ? " (mTLS)" : " (TLS)")}";

    public async Task StartAsync(IIntake intake, CancellationToken cancellationToken)
    {
        _intake = intake;
        _listener = new MllpListener(_options, this, _loggers.CreateLogger<MllpListener>());
        await _listener.StartAsync(cancellationToken);
    }

    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlySequence<byte> payload, MllpConnectionInfo connection, CancellationToken cancellationToken)
    {
        var bytes = payload.ToArray();
        var source = $"mllp {connection.RemoteEndPoint}";
        var parsed = Hl7Message.Parse(bytes, _parseOptions);
        if (_options.Gate is { } gate && await gate.RefuseAsync(connection, cancellationToken) is { } refusal)
        {
            // Not journaled: a sender that may not send here leaves nothing behind; the connection stays open.
            var issue = new Hl7Issue(Hl7IssueCode.InternalError, Hl7Severity.Error, Hl7Location.Message, refusal);
            return parsed.Message is { } refused ? AckBuilder.Build(refused, AckCode.ApplicationReject, [issue]) : AckBuilder.BuildForUnparsable(bytes, [issue]);
        }
        if (parsed.Message is not { } message)
        {
            var nak = AckBuilder.BuildForUnparsable(bytes, parsed.Issues);
            var rejected = new InboundMessage(_channel, source, ContentType, bytes) { Status = MessageStatus.Rejected, Error = Hl7Settings.Summarize(parsed.Issues), Response = nak };
            return await CommitAsync(rejected, nak, () => nak, cancellationToken);
        }

        var issues = _profiles is null ? parsed.Issues : [.. parsed.Issues, .. Hl7Validator.Validate(message, _profiles)];
        var code = AckBuilder.CodeFor(message, issues);
        var ack = AckBuilder.ShouldSend(message, code) ? AckBuilder.Build(message, code, issues) : [];
        var accepted = code is AckCode.ApplicationAccept or AckCode.CommitAccept;
        var controlId = message.ControlId;
        var inbound = new InboundMessage(_channel, source, ContentType, bytes)
        {
            ControlId = controlId.Length == 0 ? null : controlId,
            DedupeKey = controlId.Length == 0 ? null : $"mllp:{message.Get(SendingApplication)}|{message.Get(SendingFacility)}|{controlId}",
            DedupeWindow = _dedupeWindow,
            Status = accepted ? MessageStatus.Received : MessageStatus.Rejected,
            Error = accepted ? null : Hl7Settings.Summarize(issues),
            Response = ack,
        };
        return await CommitAsync(inbound, ack, () => StorageNak(message), cancellationToken);
    }

    private async ValueTask<ReadOnlyMemory<byte>> CommitAsync(InboundMessage inbound, byte[] ack, Func<byte[]> whenNotStored, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _intake!.SubmitAsync(inbound, cancellationToken);
            return result.IsDuplicate ? result.Response : ack;
        }
        catch (JournalUnavailableException ex)
        {
            // Never an ACK we cannot keep: the sender is told to send again later.
            _logger.LogError("MLLP channel {Channel} could not journal a message: {Error}", _channel, ex.Message);
            return whenNotStored();
        }
    }

    private static byte[] StorageNak(Hl7Message message)
    {
        var issue = new Hl7Issue(Hl7IssueCode.InternalError, Hl7Severity.Error, Hl7Location.Message, "the message could not be stored durably; send it again later");
        var code = AckBuilder.ModeOf(message) == AckMode.Enhanced ? AckCode.CommitReject : AckCode.ApplicationReject;
        return AckBuilder.Build(message, code, [issue]);
    }

    public ReadOnlyMemory<byte> BuildRejection(MllpRejection reason, ReadOnlySequence<byte> partialPayload)
    {
        var head = partialPayload.Length > 2048 ? partialPayload.Slice(0, 2048).ToArray() : partialPayload.ToArray();
        var text = reason switch
        {
            MllpRejection.FrameTooLarge => $"the frame is larger than the limit of {_options.MaxFrameBytes} bytes",
            MllpRejection.HandlerFailed => "the message could not be processed",
            _ => reason.ToString(),
        };
        var issue = new Hl7Issue(Hl7IssueCode.InternalError, Hl7Severity.Error, Hl7Location.Message, text);
        return AckBuilder.BuildForUnparsable(head, [issue]);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }
}
