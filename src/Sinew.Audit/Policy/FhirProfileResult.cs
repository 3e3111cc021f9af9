namespace Sinew.Audit.Policy;

/// <summary>What a <see cref="FhirProfile"/> made of a body: the de-identified bytes, or why the body must not leave.</summary>
public sealed record FhirProfileResult(ReadOnlyMemory<byte>? Body, string? Problem)
{
    public static FhirProfileResult Changed(ReadOnlyMemory<byte> body) => new(body, null);

    public static FhirProfileResult Refused(string problem) => new(null, problem);
}
