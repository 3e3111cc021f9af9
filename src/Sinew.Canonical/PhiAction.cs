namespace Sinew.Canonical;

/// <summary>What happens to a field above the class a destination may receive, before a byte of it is queued.</summary>
public enum PhiAction
{
    /// <summary>The field is taken out (the default; meets HIPAA Safe Harbor for the fields it removes).</summary>
    Drop = 0,

    /// <summary>The value is replaced by a token (keyed HMAC or vault surrogate), so records stay linkable.</summary>
    Tokenize = 1,

    /// <summary>Nothing is sent to that destination: the delivery goes to the exception queue with the field names.</summary>
    Block = 2,
}
