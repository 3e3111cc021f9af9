namespace Sinew.Engine.Sla;

/// <summary>What a service-level objective watches.</summary>
public enum SlaKind
{
    /// <summary>At least <c>percent</c> of deliveries within <c>within</c> of receipt, over the last <c>window</c>.</summary>
    DeliveredWithin = 0,

    /// <summary>The oldest waiting entry of any destination is younger than <c>max</c>.</summary>
    OldestQueued = 1,

    /// <summary>The exception queue holds fewer than <c>max</c> messages.</summary>
    ExceptionQueue = 2,

    /// <summary>A message arrived within the last <c>max</c>, checked only during <c>hours</c>.</summary>
    Silence = 3,
}
