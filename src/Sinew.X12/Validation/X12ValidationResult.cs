namespace Sinew.X12;

/// <summary>Everything validation found: the issues and, per interchange, group and set, what acknowledgements need.</summary>
public sealed class X12ValidationResult
{
    /// <summary>Issues in input order (bounded by <see cref="X12ValidationOptions.MaxIssues"/>).</summary>
    public List<X12Issue> Issues { get; } = [];

    /// <summary>Issues found beyond the bound and not kept.</summary>
    public int IssuesNotRetained { get; internal set; }

    /// <summary>Number of errors found, including those not retained.</summary>
    public int ErrorCount { get; internal set; }

    /// <summary>Interchanges in input order.</summary>
    public List<X12InterchangeResult> Interchanges { get; } = [];

    /// <summary>Segments read.</summary>
    public long SegmentCount { get; internal set; }

    /// <summary>Bytes read.</summary>
    public long ByteCount { get; internal set; }

    /// <summary>True when any issue is an error.</summary>
    public bool HasErrors => ErrorCount > 0;
}
