namespace Sinew.X12;

/// <summary>
/// Validates X12 interchanges read from a stream in bounded memory: envelopes, control numbers and counts, and
/// transaction set structure from schemas. Returns issues and what acknowledgements need; never throws on bad input.
/// Remembers recent interchange control numbers across calls to find duplicates, so keep one instance per inbound channel.
/// </summary>
public sealed class X12Validator
{
    private readonly X12ControlNumberWindow _interchanges;

    /// <summary>Creates a validator with the given options (defaults: built-in schemas).</summary>
    public X12Validator(X12ValidationOptions? options = null)
    {
        Options = options ?? new X12ValidationOptions();
        _interchanges = new X12ControlNumberWindow(Options.DuplicateWindow);
    }

    /// <summary>The settings this validator uses.</summary>
    public X12ValidationOptions Options { get; }

    /// <summary>Reads the stream to its end and validates every interchange in it.</summary>
    public X12ValidationResult Validate(Stream stream)
    {
        using var reader = new X12Reader(stream, leaveOpen: true, Options.MaxSegmentLength);
        var run = new X12ValidationRun(Options, _interchanges);
        return run.Run(reader);
    }

    /// <summary>Reads the stream to its end asynchronously (for network and file streams) and validates every interchange in it.</summary>
    public async ValueTask<X12ValidationResult> ValidateAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var reader = new X12Reader(stream, leaveOpen: true, Options.MaxSegmentLength);
        var run = new X12ValidationRun(Options, _interchanges);
        return await run.RunAsync(reader, cancellationToken);
    }

    /// <summary>Validates interchanges held in memory.</summary>
    public X12ValidationResult Validate(byte[] bytes) => Validate(new MemoryStream(bytes, writable: false));
}
