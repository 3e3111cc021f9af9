using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;

namespace Sinew.Host.Dashboard;

/// <summary>Samples every channel's message total every few seconds into <see cref="ThroughputHistory"/>.</summary>
internal sealed partial class ThroughputSampler(IJournal journal, ThroughputHistory history, ILogger<ThroughputSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var counts = await journal.GetChannelCountsAsync(stoppingToken);
                history.Record(counts.Select(c => (c.Channel, c.Total)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is JournalUnavailableException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // The journal's own health check reports the outage; the sparkline just gets a gap.
                LogSampleFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard throughput sample failed ({Error}); the sparkline has a gap")]
    private static partial void LogSampleFailed(ILogger logger, string error);
}
