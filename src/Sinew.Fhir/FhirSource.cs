using System.Runtime.CompilerServices;
using Sinew.Engine.Config;
using Sinew.Engine.Sources;
using Sinew.Fhir.Intake;
using Sinew.Fhir.Parsing;

namespace Sinew.Fhir;

/// <summary>
/// FHIR R4 resources POSTed to <c>/fhir/{type}</c> (one create) or <c>/fhir</c> (a transaction or batch Bundle) on
/// the host's HTTP listener; answered only after the journal commit. Each resource type goes to exactly one channel.
/// </summary>
public sealed class FhirSource(IReadOnlyList<string> resources, long maxBodyBytes, int maxDepth) : ISource
{
    /// <summary>The resource type a channel takes when its file names none.</summary>
    public const string DefaultResource = "SupplyDelivery";

    /// <summary>The nesting limit when the channel file gives none: deep enough for any real resource, far from a stack overflow.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>The largest nesting limit a channel may set; the parser recurses once per level.</summary>
    public const int LargestMaxDepth = 512;

    public string Type => "fhir";

    /// <summary>The resource types this channel takes (e.g. <c>SupplyDelivery</c>), as FHIR spells them.</summary>
    public IReadOnlyList<string> Resources => resources;

    /// <summary>Largest body accepted (413 above it); 0 means the shared <c>http.maxBodyBytes</c>.</summary>
    public long MaxBodyBytes => maxBodyBytes;

    /// <summary>Deepest JSON nesting or XML element depth accepted; deeper input is refused before the FHIR parser sees it.</summary>
    public int MaxDepth => maxDepth;

    /// <summary>Whether this channel takes resources of <paramref name="resourceType"/> (case-sensitive, as FHIR is).</summary>
    public bool Takes(string resourceType) => resources.Contains(resourceType, StringComparer.Ordinal);

    /// <summary>
    /// Reads the source settings; <paramref name="claims"/> holds, per configuration load, which channel took which
    /// resource type, so a second channel claiming the same type is a configuration error naming both.
    /// </summary>
    internal static ISource? Create(ConfigSection settings, ConnectorContext context, ConditionalWeakTable<ConfigDiagnostics, Dictionary<string, string>> claims)
    {
        var maxBody = settings.GetSize("maxBodyBytes", 0);
        var depth = (int)settings.GetInt("maxDepth", DefaultMaxDepth, 2, LargestMaxDepth);
        var listed = settings.Has("resources") ? settings.GetStringList("resources") : [DefaultResource];
        if (listed.Count == 0)
        {
            settings.Error("resources", "must name at least one FHIR resource type, e.g. [SupplyDelivery]");
            return null;
        }
        var taken = claims.GetOrCreateValue(settings.Diagnostics);
        var resources = new List<string>();
        var ok = true;
        foreach (var type in listed)
        {
            if (type == "Bundle")
            {
                settings.Error("resources", "Bundle is not a resource type a channel takes: POST a transaction or batch Bundle to /fhir and list the types of its entries here");
                ok = false;
            }
            else if (!FhirResourceTypes.IsKnown(type))
            {
                settings.Error("resources", $"'{type}' is not a FHIR R4 resource type (names are case-sensitive, e.g. SupplyDelivery)");
                ok = false;
            }
            else if (resources.Contains(type, StringComparer.Ordinal))
            {
                settings.Error("resources", $"'{type}' is listed twice");
                ok = false;
            }
            else if (taken.TryGetValue(type, out var other) && other != context.Channel)
            {
                settings.Error("resources", $"resource type '{type}' is already taken by channel '{other}'; each FHIR resource type goes to exactly one channel");
                ok = false;
            }
            else
            {
                taken[type] = context.Channel;
                resources.Add(type);
            }
        }
        return ok ? new FhirSource(resources, maxBody, depth) : null;
    }

    public string Describe() => "fhir " + string.Join(", ", resources.Select(r => $"POST {FhirRoutes.Base}/{r}"));

    public Task StartAsync(IIntake intake, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
