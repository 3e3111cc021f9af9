using System.Net;

namespace Sinew.Mllp;

/// <summary>Settings of one MLLP listener; every limit has a default that keeps memory and sockets bounded.</summary>
public sealed record MllpListenerOptions
{
    /// <summary>Address and port to bind; port 0 picks a free port (see <see cref="MllpListener.LocalEndPoint"/>).</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>Name used in logs and as the <c>sinew.mllp.listener</c> metric tag, typically the channel name.</summary>
    public string Name { get; init; } = "mllp";

    /// <summary>Largest payload accepted; a bigger frame is answered with a rejection and the connection closed.</summary>
    public int MaxFrameBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Connections served at once; one more is accepted and closed immediately so the backlog never fills.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>
    /// Plain-TCP connections wait for data on Sinew's own epoll threads and handle each frame on the thread that saw it
    /// arrive, instead of a hand-off from .NET's socket engine to the thread pool per frame (Linux x64; ignored elsewhere
    /// and for TLS). The handler then runs on that thread up to its first wait, so it must not block.
    /// </summary>
    public bool InlineReceives { get; init; } = true;

    /// <summary>Length of the kernel queue of connections not yet accepted.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>A connection with no frame in progress that receives nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A frame must be complete this long after its start block arrived, whatever the byte rate (slowloris guard).</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the handler may take on one frame before the frame is rejected and the connection closed.</summary>
    public TimeSpan HandlerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a response may wait for the peer to read it.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a TLS handshake may take.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>On stop, how long frames in flight may take to finish before their connections are aborted.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>TLS settings; null serves plain TCP.</summary>
    public MllpServerTlsOptions? Tls { get; init; }

    /// <summary>Access control and throttling consulted before each frame is handled; null lets every sender in at full speed.</summary>
    public IMllpSenderGate? Gate { get; init; }

    /// <summary>Lists what is wrong with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must not be empty.");
        }

        if (MaxFrameBytes <= 0)
        {
            problems.Add($"MaxFrameBytes must be positive, was {MaxFrameBytes}.");
        }

        if (MaxConnections <= 0)
        {
            problems.Add($"MaxConnections must be positive, was {MaxConnections}.");
        }

        if (Backlog <= 0)
        {
            problems.Add($"Backlog must be positive, was {Backlog}.");
        }

        RequirePositive(problems, nameof(IdleTimeout), IdleTimeout);
        RequirePositive(problems, nameof(FrameTimeout), FrameTimeout);
        RequirePositive(problems, nameof(HandlerTimeout), HandlerTimeout);
        RequirePositive(problems, nameof(WriteTimeout), WriteTimeout);
        RequirePositive(problems, nameof(TlsHandshakeTimeout), TlsHandshakeTimeout);
        RequirePositive(problems, nameof(ShutdownTimeout), ShutdownTimeout);
        Tls?.Validate(problems);
        return problems;
    }

    private static void RequirePositive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"{name} must be between zero and {int.MaxValue} ms, was {value}.");
        }
    }
}
