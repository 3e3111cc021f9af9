using Sinew.Engine.Config;

namespace Sinew.Connectors.RabbitMq;

/// <summary>
/// Where and how a <c>rabbitmq</c> destination publishes. A class, not a record, so the password never shows up in a
/// generated <c>ToString</c> that someone logs.
/// </summary>
public sealed class RabbitMqDestinationOptions
{
    /// <summary>The broker address without credentials' password, e.g. <c>amqp://sinew@10.0.0.5:5672/%2f</c>.</summary>
    public required Uri Uri { get; init; }

    /// <summary>Resolved from an <c>env:</c> or <c>file:</c> reference; null uses the URI's (or the client's default) login.</summary>
    public string? Password { get; init; }

    public required string Exchange { get; init; }

    /// <summary>Declare the exchange (durable, topic) on connect; off when the broker's owner declares it.</summary>
    public bool Declare { get; init; } = true;

    /// <summary>The routing key; <c>{channel}</c> and <c>{destination}</c> are replaced per message.</summary>
    public string RoutingKey { get; init; } = "{channel}.{destination}";

    /// <summary>The CloudEvents <c>type</c>; null derives it from each record's <c>schema</c>.</summary>
    public string? EventType { get; init; }

    /// <summary>The CloudEvents <c>source</c>; <c>{channel}</c> and <c>{destination}</c> are replaced per message.</summary>
    public string Source { get; init; } = "/sinew/{channel}";

    /// <summary>How long to wait for the broker's publisher confirm before the delivery is retried.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the settings of one destination; reports every problem on the section and returns null then.</summary>
    public static RabbitMqDestinationOptions? Read(ConfigSection settings)
    {
        var uriText = settings.GetString("uri", required: true);
        var password = settings.GetSecret("password");
        var exchange = settings.GetString("exchange", required: true);
        var declare = settings.GetBool("declare", true);
        var routingKey = settings.GetString("routingKey", "{channel}.{destination}");
        var eventType = settings.GetString("eventType");
        var source = settings.GetString("source", "/sinew/{channel}");
        var confirmTimeout = settings.GetDuration("confirmTimeout", TimeSpan.FromSeconds(10));
        var connectTimeout = settings.GetDuration("connectTimeout", TimeSpan.FromSeconds(10));
        var uri = uriText is null ? null : ReadUri(settings, uriText);
        if (routingKey.Length > 255)
        {
            settings.Error("routingKey", "must be at most 255 characters (an AMQP limit)");
        }
        if (eventType is not null && string.IsNullOrWhiteSpace(eventType))
        {
            settings.Error("eventType", "must not be empty (leave it out to derive the type from each record's schema)");
        }
        if (string.IsNullOrWhiteSpace(source))
        {
            settings.Error("source", "must not be empty (a CloudEvent needs a source)");
        }
        if (confirmTimeout <= TimeSpan.Zero)
        {
            settings.Error("confirmTimeout", "must be longer than zero");
        }
        if (connectTimeout <= TimeSpan.Zero)
        {
            settings.Error("connectTimeout", "must be longer than zero");
        }
        if (uri is null || exchange is null)
        {
            return null;
        }
        return new RabbitMqDestinationOptions
        {
            Uri = uri,
            Password = password,
            Exchange = exchange,
            Declare = declare,
            RoutingKey = routingKey,
            EventType = eventType,
            Source = source,
            ConfirmTimeout = confirmTimeout,
            ConnectTimeout = connectTimeout,
        };
    }

    private static Uri? ReadUri(ConfigSection settings, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
        {
            // The text is not echoed: a malformed URI may still hold a password.
            settings.Error("uri", "must be an AMQP URI such as amqp://user@host:5672/%2f (scheme amqp or amqps)");
            return null;
        }
        if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            settings.Error("uri", "must not contain a password: channel files live in git and on screens; put the user in the URI and the password in 'password: env:NAME' or 'file:PATH'");
            return null;
        }
        if (uri.Query.Length > 0)
        {
            settings.Error("uri", "query parameters are not supported here; use the destination's own settings (e.g. connectTimeout)");
            return null;
        }
        return uri;
    }
}
