using Microsoft.Extensions.Hosting;
using Sinew.Engine.Runtime;

namespace Sinew.Host;

/// <summary>Starts the engine with the host and stops it gracefully on SIGTERM.</summary>
internal sealed class EngineService(SinewEngine engine, SinewRunOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(options.StopGrace, cancellationToken);
}
