using Sinew.Host.Admin;

namespace Sinew.Cli.Commands;

/// <summary>What the CLI asks of Sinew: through the admin API of a running instance, or straight from a data folder.</summary>
internal interface IAdminClient : IAsyncDisposable
{
    Task<IReadOnlyList<ChannelView>> ListChannelsAsync(CancellationToken cancellationToken);

    Task<MessagePageView> SearchAsync(MessageSearchArgs args, CancellationToken cancellationToken);

    Task<MessageDetail?> GetMessageAsync(long id, CancellationToken cancellationToken);

    Task<ReprocessView> ReprocessAsync(long id, CancellationToken cancellationToken);

    Task<BulkReprocessView> ReprocessMatchingAsync(MessageSearchArgs args, CancellationToken cancellationToken);

    Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken);

    Task<VarianceReport> InventoryVarianceAsync(string from, string to, string? channel, CancellationToken cancellationToken);
}

/// <summary>Search filters as typed on the command line (checked by the same parser as the API).</summary>
internal sealed record MessageSearchArgs(string? Channel, string? Status, string? From, string? To, string? ControlId, string? Limit, string? Cursor)
{
    /// <summary>How many a bulk reprocess may touch: <c>--limit</c> brought into 1 to 10,000, or the maximum when it is not given.</summary>
    public int BulkLimit() =>
        Limit is null ? AdminService.MaxBulkReprocess
        : int.TryParse(Limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? Math.Clamp(value, 1, AdminService.MaxBulkReprocess)
            : throw new CliException($"--limit '{Limit}' must be a whole number (1 to {AdminService.MaxBulkReprocess} for reprocess)");
}
