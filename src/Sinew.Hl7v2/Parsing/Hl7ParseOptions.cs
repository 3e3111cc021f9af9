namespace Sinew.Hl7v2;

/// <summary>What the parser tolerates beyond the standard; tolerated deviations are still reported as warnings.</summary>
public sealed record Hl7ParseOptions
{
    /// <summary>Default options: LF, CR LF and a leading byte order mark are tolerated.</summary>
    public static Hl7ParseOptions Default { get; } = new();

    /// <summary>Accept LF and CR LF as segment terminators (reported as a warning); when false they are errors.</summary>
    public bool AllowLineFeedTerminators { get; init; } = true;

    /// <summary>Accept a leading UTF-8 byte order mark (reported as a warning); when false it is an error.</summary>
    public bool AllowByteOrderMark { get; init; } = true;
}
