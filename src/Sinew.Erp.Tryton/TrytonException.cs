namespace Sinew.Erp.Tryton;

/// <summary>
/// A failed call to Tryton, already classified: <see cref="IsTransient"/> says whether trying again later may work
/// (server down, timeout, 5xx, database lock), or whether Tryton refused the call for good (a <c>UserError</c>, a
/// <c>UserWarning</c>, no access), in which case the message is Tryton's own.
/// </summary>
public sealed class TrytonException : Exception
{
    public TrytonException()
    {
    }

    public TrytonException(string message)
        : base(message)
    {
    }

    public TrytonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrytonException(string message, bool isTransient, string? errorClass = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        ErrorClass = errorClass;
    }

    /// <summary>True when a later retry may succeed; false when Tryton refused the call itself.</summary>
    public bool IsTransient { get; }

    /// <summary>What kind of failure: Tryton's exception class (<c>UserError</c>, <c>UserWarning</c>, …) or e.g. <c>HTTP 503</c>.</summary>
    public string? ErrorClass { get; }
}
