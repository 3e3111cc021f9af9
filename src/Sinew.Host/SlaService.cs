using Microsoft.Extensions.Hosting;
using Sinew.Engine.Sla;

namespace Sinew.Host;

/// <summary>Runs the SLA monitor for the life of the process.</summary>
internal sealed class SlaService(SlaMonitor monitor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => monitor.RunAsync(stoppingToken);
}
