using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;
using Sinew.Core.Pipeline;
using Sinew.Engine.Config;
using Sinew.Engine.Runtime;
using Sinew.Engine.Sources;
using Sinew.Journal.Sqlite;

namespace Sinew.Engine.Tests;

/// <summary>A real engine on a real SQLite journal in a temporary folder, with channels the test builds.</summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private EngineFixture(SqliteJournal journal, SinewEngine engine)
    {
        Journal = journal;
        Engine = engine;
    }

    public SqliteJournal Journal { get; }

    public SinewEngine Engine { get; }

    public static async Task<EngineFixture> StartAsync(params ChannelConfig[] channels)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sinew-engine-" + Guid.NewGuid().ToString("N"));
        var journal = SqliteJournal.Open(new SqliteJournalOptions(Path.Combine(folder, "journal.db")));
        var engine = new SinewEngine(new SinewConfig { Directory = folder, Channels = channels }, journal, NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        return new EngineFixture(journal, engine);
    }

    public static ChannelConfig Channel(string name, IReadOnlyList<NamedStep>? steps = null, ChannelOrder order = ChannelOrder.Partition, params (string Name, IDestination Destination, RetryOptions? Retry)[] destinations) => new()
    {
        Name = name,
        File = name + ".yaml",
        Source = new HttpSource(0, false),
        Steps = steps ?? [],
        Order = order,
        Destinations = destinations.Select(d => new DestinationConfig
        {
            Name = d.Name,
            Type = "test",
            Connector = d.Destination,
            Retry = d.Retry ?? new RetryOptions(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)),
            CircuitBreaker = new CircuitBreakerOptions(1, 1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)),
            Timeout = TimeSpan.FromSeconds(5),
        }).ToList(),
    };

    public async Task<long> SendAsync(string channel, string body, string? partition = null) =>
        (await Engine.SubmitAsync(new InboundMessage(channel, "test", "text/plain", Encoding.UTF8.GetBytes(body)) { PartitionKey = partition }, CancellationToken.None)).MessageId;

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The delivery status of a message for a destination, or null while the pipeline has not queued it yet.</summary>
    public async Task<DeliveryStatus?> StatusAsync(long messageId, string destination) =>
        (await Journal.GetOutboxEntriesAsync(messageId, CancellationToken.None)).SingleOrDefault(e => e.Destination == destination)?.Status;

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        await Engine.DisposeAsync();
        await Journal.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>A step that runs the test's function.</summary>
internal sealed class LambdaStep(Func<PipelineContext, StepResult> run) : IPipelineStep
{
    public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken) => ValueTask.FromResult(run(context));
}
