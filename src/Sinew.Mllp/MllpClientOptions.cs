namespace Sinew.Mllp;

/// <summary>Settings of an <see cref="MllpClient"/>: where to send and how long to wait.</summary>
public sealed record MllpClientOptions
{
    /// <summary>Host name or address of the receiver.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port of the receiver.</summary>
    public required int Port { get; init; }

    /// <summary>Longest a connect, including the TLS handshake, may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest from the start of a send to the end of its response; past it the connection is dropped.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response payload accepted; a bigger one drops the connection.</summary>
    public int MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>TLS settings; null sends over plain TCP.</summary>
    public MllpClientTlsOptions? Tls { get; init; }

    /// <summary>Lists what is wrong with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("Host must not be empty.");
        }

        if (Port is <= 0 or > 65535)
        {
            problems.Add($"Port must be between 1 and 65535, was {Port}.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ResponseTimeout <= TimeSpan.Zero)
        {
            problems.Add("ConnectTimeout and ResponseTimeout must be positive.");
        }

        if (MaxResponseBytes <= 0)
        {
            problems.Add($"MaxResponseBytes must be positive, was {MaxResponseBytes}.");
        }

        if (Tls is not null && !MllpTlsProtocols.AreModern(Tls.EnabledProtocols))
        {
            problems.Add($"Tls.EnabledProtocols must be TLS 1.2 and/or TLS 1.3, was {Tls.EnabledProtocols}.");
        }

        return problems;
    }
}
