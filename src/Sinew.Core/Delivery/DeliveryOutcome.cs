namespace Sinew.Core.Delivery;

/// <summary>How a destination answered one delivery.</summary>
public enum DeliveryOutcome
{
    /// <summary>Accepted (or already had it: same idempotency key).</summary>
    Delivered = 0,

    /// <summary>Failed in a way a retry may fix (connection, timeout, 5xx, 429).</summary>
    Transient = 1,

    /// <summary>Refused in a way no retry fixes (4xx, validation): straight to the exception queue.</summary>
    Permanent = 2,
}
