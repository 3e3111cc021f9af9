namespace Sinew.Core.Delivery;

/// <summary>The answer of a destination to one delivery, with what it said (shortened, no message content).</summary>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, string? Detail, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Delivered(string? detail = null) => new(DeliveryOutcome.Delivered, detail);

    public static DeliveryResult Transient(string detail, TimeSpan? retryAfter = null) => new(DeliveryOutcome.Transient, detail, retryAfter);

    public static DeliveryResult Permanent(string detail) => new(DeliveryOutcome.Permanent, detail);
}
