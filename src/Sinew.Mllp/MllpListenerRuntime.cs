using Microsoft.Extensions.Logging;

namespace Sinew.Mllp;

/// <summary>What every connection of a listener shares: settings, handler, counters and the stop signals.</summary>
internal sealed class MllpListenerRuntime
{
    public required MllpListenerOptions Options { get; init; }

    public required IMllpFrameHandler Handler { get; init; }

    public required MllpMetrics Metrics { get; init; }

    public required ILogger Logger { get; init; }

    public MllpServerAuthenticator? Tls { get; init; }

    /// <summary>Stop reading new frames; frames in flight finish.</summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>Abandon frames in flight.</summary>
    public CancellationToken Aborting { get; init; }
}
