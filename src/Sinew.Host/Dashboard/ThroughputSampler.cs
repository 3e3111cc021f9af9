using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinew.Core.Journal;

namespace Sinew.Host.Dashboard;

/// <summary>Samples every channel's message total every few seconds into <see cref="ThroughputHistory"/>.</summary>
internal sealed partial class ThroughputSampler(IJournal journal, ThroughputHistory history, TimeProvider time, ILogger<ThroughputSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
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
            // On a big journal the count is a scan (about 0.3 s at a million messages): never spend more than a
            // thirtieth of the time on it.
            var took = Stopwatch.GetElapsedTime(started);
            try
            {
                await Task.Delay(took * 30 > Interval ? took * 30 : Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard throughput sample failed ({Error}); the sparkline has a gap")]
    private static partial void LogSampleFailed(ILogger logger, string error);
}
