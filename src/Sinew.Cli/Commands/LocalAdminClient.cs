using Sinew.Core.Journal;
using Sinew.Engine.Config;
using Sinew.Host;
using Sinew.Host.Admin;
using Sinew.Journal.Sqlite;

namespace Sinew.Cli.Commands;

/// <summary>Reads and changes a data folder directly, for when no Sinew is running.</summary>
internal sealed class LocalAdminClient : IAdminClient
{
    private readonly SqliteJournal _journal;
    private readonly AdminService _admin;

    private LocalAdminClient(SqliteJournal journal, SinewConfig? config)
    {
        _journal = journal;
        _admin = new AdminService(journal, config, engine: null);
    }

    public static LocalAdminClient Open(string dataDirectory, string? configDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(dataDirectory), SinewApp.JournalFileName);
        if (!File.Exists(path))
        {
            throw new CliException($"no journal at {path}; is --data the folder 'sinew run' used?");
        }
        SinewConfig? config = null;
        if (configDirectory is not null && Directory.Exists(configDirectory))
        {
            try
            {
                config = SinewApp.LoadConfig(new SinewRunOptions { ConfigDirectory = configDirectory, DataDirectory = dataDirectory, Connectors = ConnectorModules.Register });
            }
            catch (ConfigurationException)
            {
                config = null; // Listing still works from the journal alone.
            }
        }
        // An encrypted journal is read with the keys named in the configuration (sinew.yaml encryption:).
        var keys = config is null ? null : Sinew.Audit.AuditModule.JournalKeys(config);
        return new LocalAdminClient(SqliteJournal.Open(new SqliteJournalOptions(path) { Encryption = keys }), config);
    }

    public Task<IReadOnlyList<ChannelView>> ListChannelsAsync(CancellationToken cancellationToken) => _admin.ListChannelsAsync(cancellationToken);

    public Task<MessagePageView> SearchAsync(MessageSearchArgs args, CancellationToken cancellationToken) =>
        _admin.SearchAsync(Parse(args), cancellationToken);

    public Task<MessageDetail?> GetMessageAsync(long id, CancellationToken cancellationToken) => _admin.GetMessageAsync(id, cancellationToken);

    public Task<ReprocessView> ReprocessAsync(long id, CancellationToken cancellationToken) => _admin.ReprocessAsync(id, cancellationToken);

    public async Task<VarianceReport> InventoryVarianceAsync(string from, string to, string? channel, CancellationToken cancellationToken)
    {
        if (!AdminApi.TryDate(from, out var start) || !AdminApi.TryDate(to, out var end) || end < start)
        {
            throw new CliException("--from and --to must be dates (yyyy-MM-dd), --to on or after --from");
        }
        return await _admin.InventoryVarianceAsync(start, end, channel, cancellationToken)
            ?? throw new CliException("the report needs the configuration (--config) to reach the ERP, and it did not load; run 'sinew validate'");
    }

    public Task<BulkReprocessView> ReprocessMatchingAsync(MessageSearchArgs args, CancellationToken cancellationToken)
    {
        var query = Parse(args with { Limit = null });
        return _admin.ReprocessMatchingAsync(query, args.BulkLimit(), cancellationToken);
    }

    public Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken) => _admin.ListQueuesAsync(cancellationToken);

    private static MessageQuery Parse(MessageSearchArgs args)
    {
        var query = MessageQueryParser.Parse(args.Channel, args.Status, args.From, args.To, args.ControlId, args.Limit, args.Cursor, out var error);
        return error is null ? query : throw new CliException(error);
    }

    public ValueTask DisposeAsync() => _journal.DisposeAsync();
}
