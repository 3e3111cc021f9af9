namespace Sinew.Core.Pipeline;

/// <summary>What a step decided.</summary>
public enum StepOutcome
{
    /// <summary>Go on to the next step.</summary>
    Continue = 0,

    /// <summary>Stop here on purpose: the message is filtered, nothing is sent.</summary>
    Filter = 1,

    /// <summary>Stop here: the message goes to the exception queue with the reason.</summary>
    Fail = 2,
}
