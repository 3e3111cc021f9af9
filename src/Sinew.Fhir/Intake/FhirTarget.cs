using Sinew.Engine.Runtime;

namespace Sinew.Fhir.Intake;

/// <summary>The channel that takes a resource type, with its FHIR source settings and effective limits.</summary>
internal sealed record FhirTarget(ChannelRuntime Runtime, FhirSource Source, long MaxBodyBytes)
{
    public string Channel => Runtime.Name;

    /// <summary>The channel whose <c>fhir</c> source lists <paramref name="resourceType"/>, or null.</summary>
    public static FhirTarget? Find(SinewEngine engine, string resourceType)
    {
        foreach (var runtime in engine.Channels)
        {
            if (runtime.Config.Source is FhirSource source && source.Takes(resourceType))
            {
                return new FhirTarget(runtime, source, source.MaxBodyBytes > 0 ? source.MaxBodyBytes : engine.Config.MaxBodyBytes);
            }
        }
        return null;
    }

    /// <summary>Every FHIR channel, for the CapabilityStatement and the limits of <c>POST /fhir</c>.</summary>
    public static IReadOnlyList<FhirTarget> All(SinewEngine engine) =>
        engine.Channels
            .Where(c => c.Config.Source is FhirSource)
            .Select(c => new FhirTarget(c, (FhirSource)c.Config.Source, ((FhirSource)c.Config.Source).MaxBodyBytes is > 0 and var max ? max : engine.Config.MaxBodyBytes))
            .OrderBy(t => t.Channel, StringComparer.Ordinal)
            .ToList();
}
