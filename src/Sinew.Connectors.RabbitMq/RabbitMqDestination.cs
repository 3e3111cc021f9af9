using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Engine.Config;

namespace Sinew.Connectors.RabbitMq;

/// <summary>
/// Publishes each outbox entry as CloudEvents to a RabbitMQ exchange and counts it delivered only when the broker
/// confirms every event and routed it to a queue. Anything else (broker down, login refused, nack, no queue bound,
/// no confirm in time) is a Transient result, so the entry waits in Sinew's outbox and is published again.
/// </summary>
public sealed class RabbitMqDestination : IDestination
{
    private readonly RabbitMqDestinationOptions _options;
    private readonly ConnectionFactory _factory;
    private readonly ILogger<RabbitMqDestination> _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly string _endpoint;
    private IConnection? _connection;
    private IChannel? _channel;
    private bool _disposed;

    public RabbitMqDestination(RabbitMqDestinationOptions options, string connectionName, ILogger<RabbitMqDestination> logger)
    {
        _options = options;
        _logger = logger;
        _factory = new ConnectionFactory
        {
            Uri = options.Uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedConnectionTimeout = options.ConnectTimeout,
            HandshakeContinuationTimeout = options.ConnectTimeout,
            ContinuationTimeout = options.ConfirmTimeout,
            ClientProvidedName = connectionName,
        };
        if (options.Password is not null)
        {
            _factory.Password = options.Password;
        }
        _endpoint = $"{_factory.HostName}:{_factory.Port} vhost '{_factory.VirtualHost}' as '{_factory.UserName}'";
    }

    public static IDestination? Create(ConfigSection settings, ConnectorContext context)
    {
        var options = RabbitMqDestinationOptions.Read(settings);
        if (options is null)
        {
            return null;
        }
        var name = settings.GetString("name") ?? settings.Path;
        return new RabbitMqDestination(options, $"sinew {context.Channel}/{name}", context.LoggerFactory.CreateLogger<RabbitMqDestination>());
    }

    public async ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var (events, error) = CloudEventEncoder.Encode(entry, _options);
        if (error is not null)
        {
            return DeliveryResult.Permanent(error);
        }
        if (events.Count == 0)
        {
            return DeliveryResult.Delivered("the canonical payload has no records: nothing to publish");
        }
        IChannel channel;
        try
        {
            channel = await GetChannelAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return DeliveryResult.Transient(DescribeConnectFailure(ex));
        }
        var routingKey = CloudEventEncoder.Expand(_options.RoutingKey, entry);
        foreach (var outgoing in events)
        {
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            confirm.CancelAfter(_options.ConfirmTimeout);
            try
            {
                await channel.BasicPublishAsync(_options.Exchange, routingKey, mandatory: true, Properties(outgoing, entry), outgoing.Body, confirm.Token);
            }
            catch (PublishException ex) when (ex.IsReturn)
            {
                return DeliveryResult.Transient($"no queue bound to exchange '{_options.Exchange}' for routing key '{routingKey}': the broker returned the event");
            }
            catch (PublishException)
            {
                return DeliveryResult.Transient($"the broker refused the event (nack) on exchange '{_options.Exchange}'");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A confirm may still arrive for this publish; a fresh channel keeps it from being read as another's.
                await DropAsync(channel);
                return DeliveryResult.Transient($"no publisher confirm from the broker within {_options.ConfirmTimeout.TotalSeconds:0.###} s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await DropAsync(channel);
                return DeliveryResult.Transient(DescribePublishFailure(ex));
            }
        }
        return DeliveryResult.Delivered(events.Count == 1
            ? $"published {events[0].Id} to '{_options.Exchange}' with routing key '{routingKey}'"
            : $"published {events.Count} events to '{_options.Exchange}' with routing key '{routingKey}'");
    }

    private static BasicProperties Properties(OutgoingEvent outgoing, OutboxEntry entry)
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ce-id"] = outgoing.Id,
            ["ce-type"] = outgoing.Type,
        };
        if (entry.TraceParent is { Length: > 0 } traceParent)
        {
            headers["traceparent"] = traceParent;
        }
        return new BasicProperties
        {
            ContentType = CloudEventEncoder.MediaType,
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = outgoing.Id,
            Type = outgoing.Type,
            Timestamp = new AmqpTimestamp(outgoing.Time.ToUnixTimeSeconds()),
            AppId = "sinew",
            Headers = headers,
        };
    }

    /// <summary>The open channel, connecting (and declaring the exchange) first when there is none or it was lost.</summary>
    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _channel) is { IsOpen: true } open)
        {
            return open;
        }
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_channel is { IsOpen: true } current)
            {
                return current;
            }
            // The automatic recovery of a lost connection may still be trying; a new connection does not wait for it.
            await CloseCurrentAsync(abort: true);
            var connection = await _factory.CreateConnectionAsync(cancellationToken);
            try
            {
                var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                    cancellationToken);
                if (_options.Declare)
                {
                    await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                }
                connection.ConnectionShutdownAsync += (_, args) =>
                {
                    if (args.Initiator != ShutdownInitiator.Application)
                    {
                        _logger.LogWarning("RabbitMQ connection to {Endpoint} lost: {Reason}", _endpoint, args.ReplyText);
                    }
                    return Task.CompletedTask;
                };
                connection.RecoverySucceededAsync += (_, _) =>
                {
                    _logger.LogInformation("RabbitMQ connection to {Endpoint} recovered", _endpoint);
                    return Task.CompletedTask;
                };
                _connection = connection;
                Volatile.Write(ref _channel, channel);
                _logger.LogInformation("RabbitMQ connected to {Endpoint}, publishing to exchange {Exchange}", _endpoint, _options.Exchange);
                return channel;
            }
            catch
            {
                await connection.AbortAsync(CancellationToken.None);
                connection.Dispose();
                throw;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Forgets a channel that failed, so the next delivery starts on a new connection.</summary>
    private async Task DropAsync(IChannel failed)
    {
        await _connectLock.WaitAsync(CancellationToken.None);
        try
        {
            if (ReferenceEquals(_channel, failed))
            {
                await CloseCurrentAsync(abort: true);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task CloseCurrentAsync(bool abort)
    {
        var channel = _channel;
        var connection = _connection;
        Volatile.Write(ref _channel, null);
        _connection = null;
        if (channel is not null)
        {
            try
            {
                if (abort)
                {
                    await channel.AbortAsync(CancellationToken.None);
                }
                else
                {
                    await channel.CloseAsync(CancellationToken.None);
                }
            }
            catch (Exception ex)
            {
                _logger.LogDebug("RabbitMQ channel close: {Error}", ex.Message);
            }
            channel.Dispose();
        }
        if (connection is not null)
        {
            try
            {
                if (abort)
                {
                    await connection.AbortAsync(TimeSpan.FromSeconds(2));
                }
                else
                {
                    await connection.CloseAsync(TimeSpan.FromSeconds(5));
                }
            }
            catch (Exception ex)
            {
                _logger.LogDebug("RabbitMQ connection close: {Error}", ex.Message);
            }
            connection.Dispose();
        }
    }

    private string DescribeConnectFailure(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationFailureException or PossibleAuthenticationFailureException)
            {
                return $"broker refused the login to {_endpoint}: wrong user or password, or no access to the virtual host ({inner.Message})";
            }
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                return DescribeConnectFailure(aggregate.InnerExceptions[0]);
            }
            if (inner is OperationInterruptedException interrupted && interrupted.ShutdownReason is { } reason)
            {
                return $"broker at {_endpoint} refused the setup: {reason.ReplyCode} {reason.ReplyText}";
            }
        }
        return $"broker unreachable at {_endpoint}: {Innermost(ex).Message}";
    }

    private string DescribePublishFailure(Exception ex) => ex switch
    {
        AlreadyClosedException { ShutdownReason: { } reason } => $"broker connection lost ({reason.ReplyCode} {reason.ReplyText}); retrying on a new connection",
        OperationInterruptedException { ShutdownReason: { } reason } => $"broker closed the channel: {reason.ReplyCode} {reason.ReplyText}",
        _ => $"publishing to {_endpoint} failed: {ex.GetType().Name}: {Innermost(ex).Message}",
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : ex.InnerException;
        }
        return ex;
    }

    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync(CancellationToken.None);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            await CloseCurrentAsync(abort: false);
        }
        finally
        {
            // Not disposed: a delivery finishing late may still take the lock (SemaphoreSlim holds no handle unless asked).
            _connectLock.Release();
        }
    }
}
