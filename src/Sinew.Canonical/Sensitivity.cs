namespace Sinew.Canonical;

/// <summary>How sensitive a canonical field is; a destination declares the highest class it may receive.</summary>
public enum Sensitivity
{
    Public = 0,
    Internal = 1,
    Confidential = 2,
    Phi = 3,
    Restricted = 4,
}
