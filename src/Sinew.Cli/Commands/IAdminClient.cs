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
}

/// <summary>Search filters as typed on the command line (checked by the same parser as the API).</summary>
internal sealed record MessageSearchArgs(string? Channel, string? Status, string? From, string? To, string? ControlId, string? Limit, string? Cursor);
