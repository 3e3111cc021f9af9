using Sinew.Core.Journal;

namespace Sinew.Engine.Sources;

/// <summary>The door every source uses: commits a message to the journal, then wakes its channel.</summary>
public interface IIntake
{
    /// <summary>Commits <paramref name="message"/>; throws <see cref="JournalUnavailableException"/> when it cannot be made durable.</summary>
    ValueTask<AppendResult> SubmitAsync(InboundMessage message, CancellationToken cancellationToken);
}
