namespace Sinew.Engine.Sources;

/// <summary>Settings of a <see cref="FileSource"/>.</summary>
public sealed record FileSourceOptions
{
    public required string Channel { get; init; }
    public required string Folder { get; init; }
    public string Pattern { get; init; } = "*";
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long size and time must stay unchanged before a file is taken (it may still be being written).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);

    public long MaxBytes { get; init; } = 64L * 1024 * 1024;
    public string? ContentType { get; init; }
}
