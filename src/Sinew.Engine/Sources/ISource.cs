namespace Sinew.Engine.Sources;

/// <summary>Where a channel's messages come from (HTTP, file folder, MLLP, ...). It hands each one to the intake and answers only after the commit.</summary>
public interface ISource : IAsyncDisposable
{
    /// <summary>The source type as written in the channel file (<c>http</c>, <c>file</c>, <c>mllp</c>).</summary>
    string Type { get; }

    /// <summary>Where it listens or reads, for the start-up line and health; never secret.</summary>
    string Describe();

    /// <summary>Binds or starts polling. Sources that the host serves (HTTP) do nothing here.</summary>
    Task StartAsync(IIntake intake, CancellationToken cancellationToken);

    /// <summary>Stops accepting; in-flight messages finish or are left for the sender to retry.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
