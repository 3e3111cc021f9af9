using Sinew.Engine.Config;

namespace Sinew.Engine.Sources;

/// <summary>
/// Messages POSTed to <c>/in/{channel}</c> on the host's HTTP listener; answered <c>202 Accepted</c> with the
/// message id only after the journal commit. A repeated <c>Idempotency-Key</c> gets the first answer.
/// </summary>
public sealed class HttpSource(long maxBodyBytes, bool requireUtf8) : ISource
{
    public string Type => "http";

    /// <summary>Largest body accepted (413 above it); 0 means the shared <c>http.maxBodyBytes</c>.</summary>
    public long MaxBodyBytes => maxBodyBytes;

    /// <summary>Refuse bodies that are not valid UTF-8 (kept as rejected for inspection).</summary>
    public bool RequireUtf8 => requireUtf8;

    public static ISource? Create(ConfigSection settings, ConnectorContext context) =>
        new HttpSource(settings.GetSize("maxBodyBytes", 0), settings.GetBool("requireUtf8", false));

    public string Describe() => "http POST /in/{channel}";

    public Task StartAsync(IIntake intake, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
