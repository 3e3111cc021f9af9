namespace Sinew.Hl7v2;

/// <summary>Which acknowledgment protocol the sender asked for.</summary>
public enum AckMode
{
    /// <summary>Original mode (MSH-15 and MSH-16 empty): one ACK with AA, AE or AR.</summary>
    Original = 0,

    /// <summary>Enhanced mode (MSH-15 or MSH-16 valued): an accept ACK (CA, CE, CR) as MSH-15 asks, then application ACKs.</summary>
    Enhanced = 1,
}
