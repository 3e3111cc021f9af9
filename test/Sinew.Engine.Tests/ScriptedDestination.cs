using System.Collections.Concurrent;
using Sinew.Core.Delivery;
using Sinew.Core.Journal;

namespace Sinew.Engine.Tests;

/// <summary>A destination whose answers the test scripts, recording every call (a test double for one class).</summary>
internal sealed class ScriptedDestination(Func<OutboxEntry, DeliveryResult> answer) : IDestination
{
    public ConcurrentQueue<OutboxEntry> Calls { get; } = new();

    public Func<OutboxEntry, DeliveryResult> Answer { get; set; } = answer;

    public ValueTask<DeliveryResult> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        Calls.Enqueue(entry);
        return ValueTask.FromResult(Answer(entry));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
